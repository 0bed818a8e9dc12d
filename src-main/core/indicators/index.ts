/**
 * Technical indicators with TA-Lib's conventions, hand-written: the `technicalindicators` package rounds RSI
 * to 2 decimals and starts its MACD line earlier than TA-Lib, and the reference values we test against
 * (shared data, section 6) are TA-Lib's. All functions are pure and O(n); outputs align with the input
 * indices, `null` during warm-up.
 */
export { sma, ema } from './moving-average';
export { rsi } from './rsi';
export { macd, type MacdResult } from './macd';
export { bollinger, type BollingerResult } from './bollinger';

/**
 * Bars of history wanted before the first sample day. MACD 12/26/9 has its first value at bar 33; the extra
 * bars let the EMAs drift away from their SMA seeds so the first samples do not depend on where data began.
 */
export const WARMUP_BARS = 60;
