import * as tf from '@tensorflow/tfjs';
import type { ModelKind, TrainConfig } from '../types';
import { buildLstm } from './lstm';
import { buildDualTower } from './dualTower';

export { buildLstm, type LstmOptions } from './lstm';
export { buildDualTower, stockTowerWidth, type DualTowerOptions } from './dualTower';
export { FeatureSlice, SeededDropout, quietOrthogonal } from './layers';
export { saveModel, loadModel, type ModelMeta, type LoadedModel } from './io';

/** Parameter counts of the seed's architectures in Keras/tfjs counting. */
export const EXPECTED_PARAMS: Record<ModelKind, number> = { lstm: 57_219, dual_tower: 2_371 };

/** Shown wherever the LSTM's parameter count is shown. */
export const LSTM_PARAM_NOTE =
  'LSTM: 57,219 parameters in Keras/tfjs counting (one bias per gate); PyTorch reports 57,731 for the same network because nn.LSTM keeps two bias vectors (b_ih and b_hh) per gate.';

export function buildModel(kind: ModelKind, cfg: Pick<TrainConfig, 'seqLen' | 'dropout' | 'towerSplit' | 'seed'>): tf.LayersModel {
  return kind === 'lstm'
    ? buildLstm({ seqLen: cfg.seqLen, dropout: cfg.dropout, seed: cfg.seed })
    : buildDualTower({ towerSplit: cfg.towerSplit, dropout: cfg.dropout, seed: cfg.seed });
}

/** The same network up to the pre-softmax layer, sharing weights: training computes cross-entropy from logits. */
export function logitsModel(model: tf.LayersModel): tf.LayersModel {
  return tf.model({ inputs: model.inputs, outputs: model.getLayer('logits').output as tf.SymbolicTensor });
}
