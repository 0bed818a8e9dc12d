/**
 * Float32 buffers kept from one batch to the next. A batch of the LSTM needs a few MB of tapes
 * and gradient arrays; allocated fresh every batch, their garbage collection cost about a tenth
 * of an epoch. Buffers are found by name and reused while the size matches.
 */
export class Workspace {
  private readonly buffers = new Map<string, Float32Array>();
  /** Set while a forward pass's tape (views of these buffers) waits for its backward pass. */
  busy = false;

  /** A buffer of n floats; its contents are whatever the last user left there. */
  get(key: string, n: number): Float32Array {
    let b = this.buffers.get(key);
    if (!b || b.length !== n) {
      b = new Float32Array(n);
      this.buffers.set(key, b);
    }
    return b;
  }

  /** A buffer of n zeros. */
  zeros(key: string, n: number): Float32Array {
    const b = this.get(key, n);
    b.fill(0);
    return b;
  }
}
