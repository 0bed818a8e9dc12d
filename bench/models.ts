/**
 * The models the benchmark trains: the workbench's own builders, with the LSTM's gate activation
 * set to 'sigmoid' (PyTorch's, and the one the fast path fuses into its matMul) in case the builder
 * still uses tfjs' default hardSigmoid.
 */
import * as tf from '@tensorflow/tfjs';
import { buildDualTower, buildLstm } from '../src-main/core/models';
import type { ModelKind } from '../src-main/core/types';

interface LayerJson {
  class_name: string;
  config: Record<string, unknown>;
}

async function withSigmoidGates(model: tf.LayersModel): Promise<tf.LayersModel> {
  const topology = model.toJSON(null, false) as unknown as { config: { layers: LayerJson[] } };
  const lstms = topology.config.layers.filter((l) => l.class_name === 'LSTM');
  if (lstms.every((l) => l.config['recurrent_activation'] === 'sigmoid')) return model;
  lstms.forEach((l) => (l.config['recurrent_activation'] = 'sigmoid'));
  const rebuilt = await tf.models.modelFromJSON({ modelTopology: topology as unknown as tf.io.ModelJSON['modelTopology'] });
  rebuilt.setWeights(model.getWeights());
  model.dispose();
  return rebuilt;
}

export async function benchModel(kind: ModelKind, steps: number): Promise<tf.LayersModel> {
  return kind === 'lstm'
    ? withSigmoidGates(buildLstm({ seqLen: steps, dropout: 0.3, seed: 42 }))
    : buildDualTower({ towerSplit: 'group', dropout: 0.3, seed: 42 });
}
