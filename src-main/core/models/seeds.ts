import seedrandom from 'seedrandom';

/** A stream of distinct integer seeds so every layer gets its own reproducible initialisation. */
export function seedStream(seed: number, purpose: string): () => number {
  const rng = seedrandom(`${seed}:${purpose}`);
  return () => Math.abs(rng.int32());
}
