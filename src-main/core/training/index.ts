export { trainModel, predictProbs, learningRateForEpoch, type TrainHooks, type TrainImpl, type TrainResult, type BatchProgress } from './train';
export { buildSamples, lstmWindows, towerRows, modelInput, sampleValues, sampleWidth, type SampleSet, type SampleKey } from './samples';
export { normaliseRows, statsFor } from './features';
export { resolveTrainConfig } from './config';
