/**
 * An LSTM batch computed in two parts (training/step.ts): the parts' gradients add up to the whole
 * batch's, and the part worker (a second thread) gives bit-for-bit the numbers the loop gets when it
 * computes both parts itself, so a run does not depend on whether the worker was there.
 */
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src-main/core/backend';
import { buildLstm } from '../../src-main/core/models';
import { drawLstmHeadMasks, maskRows } from '../../src-main/core/models/fast-lstm';
import { PartWorker } from '../../src-main/core/training/parallel/client';
import { partGradients } from '../../src-main/core/training/parallel/part';
import { trainModel } from '../../src-main/core/training';
import { createStepper, splitsBatch } from '../../src-main/core/training/step';
import { DEFAULT_TRAIN_CONFIG, FEATURE_COUNT } from '../../src-main/core/types';
import { makeTinyDataset } from './helpers';

const SEQ = 5;

function batch(n: number, seed: string): { x: Float32Array; labels: Int32Array } {
  const rng = seedrandom(seed);
  const x = Float32Array.from({ length: n * SEQ * FEATURE_COUNT }, () => 2 * rng() - 1);
  const labels = Int32Array.from({ length: n }, () => Math.floor(rng() * 3));
  return { x, labels };
}

function weightsOf(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => w.dataSync() as Float32Array);
}

beforeAll(async () => {
  expect(await initBackend('wasm')).toBe('wasm');
});

describe('the split rule', () => {
  it('splits LSTM batches of 4 or more on wasm when asked, nothing else', () => {
    const lstm = { kind: 'lstm', impl: 'fast', backend: 'wasm', split: true } as const;
    expect(splitsBatch(lstm, 8)).toBe(true);
    expect(splitsBatch(lstm, 4)).toBe(true);
    expect(splitsBatch(lstm, 3)).toBe(false);
    expect(splitsBatch({ ...lstm, split: false }, 32)).toBe(false);
    expect(splitsBatch({ ...lstm, kind: 'dual_tower' }, 32)).toBe(false);
    expect(splitsBatch({ ...lstm, impl: 'layers' }, 32)).toBe(false);
    expect(splitsBatch({ ...lstm, backend: 'tensorflow' }, 32)).toBe(false);
    expect(splitsBatch({ ...lstm, backend: 'cpu' }, 32)).toBe(false);
  });
});

describe('two parts of a batch', () => {
  it("add up to the whole batch's loss and gradients (same dropout masks)", () => {
    const model = buildLstm({ seqLen: SEQ, dropout: 0.3, seed: 7 });
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const n = 9;
    const { x, labels } = batch(n, 'sum');
    const masks = drawLstmHeadMasks(model, n);
    const whole = variables.map((v) => new Float32Array(v.size));
    const parts = variables.map((v) => new Float32Array(v.size));
    const all = partGradients(model, variables, { x, rows: n, steps: SEQ, labels, masks, denominator: n }, (v, g) => whole[v].set(g));
    const head = 5;
    const a = partGradients(model, variables, { x, rows: head, steps: SEQ, labels, masks: maskRows(masks, n, 0, head), denominator: n }, (v, g) => parts[v].set(g));
    const b = partGradients(
      model,
      variables,
      { x: x.subarray(head * SEQ * FEATURE_COUNT), rows: n - head, steps: SEQ, labels: labels.subarray(head), masks: maskRows(masks, n, head, n), denominator: n },
      (v, g) => g.forEach((value, k) => (parts[v][k] += value)),
    );
    expect(a.loss + b.loss).toBeCloseTo(all.loss, 6);
    expect(a.hits + b.hits).toBe(all.hits);
    let worst = 0;
    whole.forEach((g, v) => g.forEach((value, k) => (worst = Math.max(worst, Math.abs(value - parts[v][k]) / (1e-3 + Math.abs(value))))));
    expect(worst).toBeLessThan(1e-4);
    // and the masks really were used: another draw gives another loss
    const other = partGradients(model, variables, { x, rows: n, steps: SEQ, labels, masks: drawLstmHeadMasks(model, n), denominator: n }, () => undefined);
    expect(other.loss).not.toBeCloseTo(all.loss, 6);
    model.dispose();
  });
});

describe('the part worker', () => {
  let models: tf.LayersModel[] = [];
  afterAll(() => models.forEach((m) => m.dispose()));

  it('trains to bit-identical weights and losses as the loop computing both parts itself', async () => {
    const run = async (threads: 1 | 2): Promise<{ losses: number[]; weights: Float32Array[]; executions: Set<string> }> => {
      const model = buildLstm({ seqLen: SEQ, dropout: 0.3, seed: 11 });
      models.push(model);
      const stepper = createStepper({ kind: 'lstm', model, impl: 'fast', backend: 'wasm', learningRate: 1e-3, clipNorm: 1, seqLen: SEQ, batchSize: 10, split: true, threads });
      await stepper.ready;
      const losses: number[] = [];
      const executions = new Set<string>();
      for (let i = 0; i < 7; i++) {
        // the last batches are shorter, as at an epoch's end; one of 2 windows is computed whole
        const { x, labels } = batch(i === 5 ? 7 : i === 6 ? 2 : 10, `step${i}`);
        losses.push((await stepper.step(x, labels)).loss);
        executions.add(stepper.execution);
      }
      await stepper.dispose();
      return { losses, weights: weightsOf(model), executions };
    };
    const alone = await run(1);
    const threaded = await run(2);
    expect([...alone.executions]).toEqual(['parts']);
    expect([...threaded.executions]).toEqual(['parts-parallel']);
    expect(threaded.losses).toEqual(alone.losses);
    threaded.weights.forEach((w, i) => expect(Buffer.from(w.buffer, w.byteOffset, w.byteLength).equals(Buffer.from(alone.weights[i].buffer, alone.weights[i].byteOffset, alone.weights[i].byteLength))).toBe(true));
    // and training moved the weights (the comparison is not of two untouched models)
    const fresh = buildLstm({ seqLen: SEQ, dropout: 0.3, seed: 11 });
    models.push(fresh);
    expect(weightsOf(fresh)[0]).not.toEqual(alone.weights[0]);
  }, 60_000);

  it('that cannot start says why, and the stepper carries on in one thread', async () => {
    const model = buildLstm({ seqLen: SEQ, dropout: 0.3, seed: 3 });
    models.push(model);
    const broken = new PartWorker({ variableSizes: [1], maxRows: 2, windowSize: SEQ * FEATURE_COUNT, maskWidths: [] }, SEQ, model.toJSON(null, false) as object);
    expect(await broken.ready).toBe(false);
    expect(broken.reason).toMatch(/variables of sizes/);
    await broken.dispose();
  }, 60_000);

  it('that dies during a batch fails the step with a clear message instead of hanging', async () => {
    const model = buildLstm({ seqLen: SEQ, dropout: 0.3, seed: 3 });
    models.push(model);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const shape = { variableSizes: variables.map((v) => v.size), maxRows: 4, windowSize: SEQ * FEATURE_COUNT, maskWidths: [64, 32] };
    const dying = new PartWorker(shape, SEQ, model.toJSON(null, false) as object, path.resolve(import.meta.dirname, 'fixtures/dying-part-worker.mjs'));
    expect(await dying.ready).toBe(true);
    const { x, labels } = batch(4, 'dies');
    dying.submit({ x, rows: 4, labels, masks: [new Float32Array(4 * 64), new Float32Array(4 * 32)], denominator: 8 });
    await expect(dying.collect(() => undefined)).rejects.toThrow(/training worker thread exited/);
    await dying.dispose();
  }, 60_000);
});

describe('trainModel with split batches', () => {
  it('gives the same history on two threads as on one (STW_TRAIN_THREADS=1), and says which it used', async () => {
    const ds = makeTinyDataset({ days: 120 });
    const cfg = { ...DEFAULT_TRAIN_CONFIG, epochs: 2, batchSize: 8, seqLen: 4, seed: 5 };
    const two = await trainModel('lstm', ds, cfg, { split: true });
    process.env.STW_TRAIN_THREADS = '1';
    let one: Awaited<ReturnType<typeof trainModel>>;
    try {
      one = await trainModel('lstm', ds, cfg, { split: true });
    } finally {
      delete process.env.STW_TRAIN_THREADS;
    }
    const whole = await trainModel('lstm', ds, cfg, { split: false });
    expect(two.execution).toBe('parts-parallel');
    expect(one.execution).toBe('parts');
    expect(whole.execution).toBe('whole');
    const curve = (r: typeof two): number[] => r.history.flatMap((h) => [h.loss, h.accuracy, h.val_loss, h.val_accuracy]);
    expect(curve(two)).toEqual(curve(one));
    expect(two.valProbs).toEqual(one.valProbs);
    // splitting is part of the recipe: float sums in another order, so not bit-identical to whole batches, but close
    expect(curve(whole)).not.toEqual(curve(two));
    curve(whole).forEach((v, i) => expect(v).toBeCloseTo(curve(two)[i], 2));
    [two, one, whole].forEach((r) => r.model.dispose());
  }, 120_000);
});
