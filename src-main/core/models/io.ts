/**
 * Save/load a model as tfjs's file layout (`model.json` + `weights.bin`) plus `meta.json` (what
 * prediction needs: kind, window length, feature order, the training normaliser). Written through
 * an in-memory save handler because tfjs-node's file:// handler is absent on wasm/cpu.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { WorkbenchError } from '../errors';
import { recoverDir, replaceDirAtomic, writeFileAtomic } from '../files';
import type { Backend, DatasetConfig, ModelKind, Normaliser, TrainConfig } from '../types';
import { quietOrthogonal } from './layers';

export interface ModelMeta {
  kind: ModelKind;
  /** LSTM window length (the dual tower reads one row; kept for the record) */
  seqLen: number;
  /** feature order the model expects (FEATURE_NAMES) */
  features: string[];
  normaliser: Normaliser;
  config: TrainConfig;
  dataset?: DatasetConfig;
  datasetHash?: string;
  params: number;
  bestEpoch?: number;
  backend: Backend;
  created: string;
}

export interface LoadedModel {
  model: tf.LayersModel;
  meta: ModelMeta;
}

const statsSchema = z.object({ mean: z.array(z.number()), std: z.array(z.number()) });
const metaSchema = z.looseObject({
  kind: z.enum(['lstm', 'dual_tower']),
  seqLen: z.number().int().positive(),
  features: z.array(z.string()).min(1),
  normaliser: z.object({ kind: z.enum(['per_ticker', 'global']), stats: z.record(z.string(), statsSchema) }),
  config: z.looseObject({ seqLen: z.number(), seed: z.number() }),
  params: z.number(),
  backend: z.enum(['tensorflow', 'wasm', 'cpu']),
  created: z.string(),
});

const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';
const META_FILE = 'meta.json';

/** Write the model into `dir`, replacing any previous content atomically. */
export async function saveModel(model: tf.LayersModel, dir: string, meta: ModelMeta): Promise<void> {
  let captured: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!captured?.weightData || !captured.weightSpecs) throw new WorkbenchError('INTERNAL', 'model produced no weights to save');
  const artifacts = captured;
  const weightSpecs = captured.weightSpecs;
  const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
  const modelJson: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as object,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights: weightSpecs }],
  };
  await replaceDirAtomic(dir, async (tmp) => {
    await writeFileAtomic(path.join(tmp, WEIGHTS_FILE), weights);
    await writeFileAtomic(path.join(tmp, MODEL_FILE), JSON.stringify(modelJson));
    await writeFileAtomic(path.join(tmp, META_FILE), JSON.stringify(meta, null, 2) + '\n');
  });
}

async function readOrCorrupt(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new WorkbenchError('CORRUPT', code === 'ENOENT' ? 'file is missing' : `cannot read file (${code ?? String(err)})`, { file });
  }
}

function parseJson(file: string, buf: Buffer): unknown {
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch (err) {
    throw new WorkbenchError('CORRUPT', `not valid JSON (truncated?): ${(err as Error).message}`, { file });
  }
}

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2 };

function expectedWeightBytes(specs: tf.io.WeightsManifestEntry[]): number {
  let total = 0;
  for (const s of specs) {
    const size = s.shape.reduce((a, b) => a * b, 1);
    total += size * (DTYPE_BYTES[s.quantization?.dtype ?? s.dtype] ?? 4);
  }
  return total;
}

function isModelJson(v: unknown): v is tf.io.ModelJSON {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.modelTopology === 'object' && o.modelTopology !== null && Array.isArray(o.weightsManifest);
}

/**
 * Load a model saved by `saveModel`; any missing, truncated or invalid file is a CORRUPT error naming it.
 * A save killed between its two renames is rolled back first (the previous version is restored).
 */
export async function loadModel(dir: string): Promise<LoadedModel> {
  await recoverDir(dir);
  try {
    await fs.access(dir);
  } catch {
    throw new WorkbenchError('NOT_FOUND', `model folder does not exist: ${dir}`);
  }
  const modelFile = path.join(dir, MODEL_FILE);
  const weightsFile = path.join(dir, WEIGHTS_FILE);
  const metaFile = path.join(dir, META_FILE);

  const modelJson = parseJson(modelFile, await readOrCorrupt(modelFile));
  if (!isModelJson(modelJson)) throw new WorkbenchError('CORRUPT', 'not a tfjs layers model (no modelTopology / weightsManifest)', { file: modelFile });
  const specs = modelJson.weightsManifest.flatMap((g) => g.weights);

  const weights = await readOrCorrupt(weightsFile);
  const expected = expectedWeightBytes(specs);
  if (weights.byteLength !== expected) {
    throw new WorkbenchError('CORRUPT', `weights file is ${weights.byteLength} bytes, the model needs ${expected} (truncated or from another model)`, {
      file: weightsFile,
    });
  }

  const metaRaw = parseJson(metaFile, await readOrCorrupt(metaFile));
  const parsed = metaSchema.safeParse(metaRaw);
  if (!parsed.success) throw new WorkbenchError('CORRUPT', `invalid model metadata: ${parsed.error.issues[0]?.message ?? 'unknown'}`, { file: metaFile });
  const meta = metaRaw as ModelMeta;

  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  try {
    const model = await quietOrthogonal(() =>
      tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: specs, weightData })),
    );
    return { model, meta };
  } catch (err) {
    throw new WorkbenchError('CORRUPT', `cannot rebuild the model: ${(err as Error).message}`, { file: modelFile });
  }
}
