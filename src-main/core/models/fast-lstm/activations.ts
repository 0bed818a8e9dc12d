/**
 * Gate activations for the JS gate loops. V8's Math.exp / Math.tanh are calls into C++ and made
 * the gate loop several times slower than its loads and stores; tanh here is Eigen's
 * float rational approximation (generic_fast_tanh_float: odd 13th / even 6th degree, clamped at
 * ±7.905, where tanh is 1 to float32 precision), absolute error < 3e-7; sigmoid(x) = ½ + ½·tanh(x/2).
 */

/** The gate ("recurrent") activation of a tfjs/Keras LSTM layer that the fast path supports. */
export type RecurrentActivation = 'sigmoid' | 'hardSigmoid';

const CLAMP = 7.90531110763549805;

export function tanh(v: number): number {
  const x = v < -CLAMP ? -CLAMP : v > CLAMP ? CLAMP : v;
  const x2 = x * x;
  let p = x2 * -2.76076847742355e-16 + 2.00018790482477e-13;
  p = x2 * p + -8.60467152213735e-11;
  p = x2 * p + 5.12229709037114e-8;
  p = x2 * p + 1.48572235717979e-5;
  p = x2 * p + 6.37261928875436e-4;
  p = x2 * p + 4.89352455891786e-3;
  let q = x2 * 1.19825839466702e-6 + 1.18534705686654e-4;
  q = x2 * q + 2.268434632439e-3;
  q = x2 * q + 4.89352518554385e-3;
  return (x * p) / q;
}

export function sigmoid(x: number): number {
  return 0.5 + 0.5 * tanh(0.5 * x);
}

/** tfjs' hardSigmoid: clip(0.2·x + 0.5, 0, 1). */
export function hardSigmoid(x: number): number {
  const y = 0.2 * x + 0.5;
  return y <= 0 ? 0 : y >= 1 ? 1 : y;
}

/** hardSigmoid's slope in terms of its output y: 0.2 inside (0, 1), 0 where it is clipped. */
export function hardSlope(y: number): number {
  return y > 0 && y < 1 ? 0.2 : 0;
}
