/**
 * Two small custom layers the models need, registered so `tf.loadLayersModel` / `tf.io.fromMemory`
 * can rebuild saved models once this module has been imported.
 */
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type Kwargs = Record<string, unknown>;

function single(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}

/** Columns [begin, begin+size) of a (batch, features) input: tfjs has no built-in Slice layer. */
export class FeatureSlice extends tf.layers.Layer {
  static readonly className = 'FeatureSlice';
  readonly begin: number;
  readonly size: number;

  constructor(args: LayerArgs & { begin: number; size: number }) {
    super(args);
    this.begin = args.begin;
    this.size = args.size;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0], this.size];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.slice(single(inputs), [0, this.begin], [-1, this.size]);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), begin: this.begin, size: this.size };
  }
}

/**
 * Dropout whose masks are reproducible yet differ from batch to batch. The built-in layer's
 * `seed` re-seeds every call and so draws the same mask each time; this one draws a fresh
 * seed per call from its own seeded stream. Identity outside training.
 */
export class SeededDropout extends tf.layers.Layer {
  static readonly className = 'SeededDropout';
  readonly rate: number;
  readonly seed: number;
  private rng: seedrandom.PRNG;

  constructor(args: LayerArgs & { rate: number; seed: number }) {
    super(args);
    this.rate = args.rate;
    this.seed = args.seed;
    this.rng = seedrandom(String(args.seed));
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = single(inputs);
    if (kwargs['training'] !== true || this.rate <= 0) return x;
    return tf.dropout(x, this.rate, undefined, this.rng.int32());
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

tf.serialization.registerClass(FeatureSlice);
tf.serialization.registerClass(SeededDropout);

/**
 * tfjs warns on every orthogonal initialisation above 2000 elements (the LSTM recurrent kernels,
 * 64×256). It is expected here and would only clutter CLI and trainer output.
 */
export async function quietOrthogonal<T>(fn: () => T | Promise<T>): Promise<T> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('Orthogonal initializer')) return;
    warn(...args);
  };
  try {
    return await fn();
  } finally {
    console.warn = warn;
  }
}

export function quietOrthogonalSync<T>(fn: () => T): T {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === 'string' && args[0].startsWith('Orthogonal initializer')) return;
    warn(...args);
  };
  try {
    return fn();
  } finally {
    console.warn = warn;
  }
}
