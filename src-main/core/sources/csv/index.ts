/**
 * The `csv` source: the user's own files. Every problem is either repaired and noted in `repairs`
 * ("<file>: <what>") or refused with WorkbenchError('BAD_INPUT', reason, { file, line }) — never silently
 * wrong data.
 */
import type { DatasetConfig, PolicyEvent, RawData } from '../../types';
import { WorkbenchError } from '../../errors';
import { loadMacro } from './macro';
import { loadNews } from './news';
import { derivePolicyEvents, loadPolicyFile } from './policy';
import { loadPrices } from './prices';
import { isIsoDate } from './table';

export { POLICY_MOVE_THRESHOLD } from './policy';

/**
 * Prices (bars from warmupStart to config.end), and optionally news (calendar days in that range), macro
 * series (from a year before warmupStart, unlagged: period-start dates as FRED publishes them) and policy
 * events (from config.policy, else derived from fed funds moves, else null).
 */
export async function loadCsvSource(config: DatasetConfig, warmupStart: string): Promise<RawData> {
  if (!config.prices) throw new WorkbenchError('BAD_INPUT', 'the csv source needs a prices folder');
  for (const [label, date] of [['warm-up start', warmupStart], ['end', config.end]] as const) {
    if (!isIsoDate(date)) throw new WorkbenchError('BAD_INPUT', `${label} date "${date}" is not a YYYY-MM-DD date`);
  }
  if (warmupStart > config.end) {
    throw new WorkbenchError('BAD_INPUT', `warm-up start ${warmupStart} is after the end date ${config.end}`);
  }
  const { end } = config;
  const repairs: string[] = [];
  const prices = await loadPrices(config.prices, config.tickers, warmupStart, end, repairs);
  const news = config.news ? await loadNews(config.news, config.tickers, warmupStart, end, repairs) : null;
  const { macro, rate } = config.macro ? await loadMacro(config.macro, warmupStart, end, repairs) : { macro: {}, rate: null };

  let policy: PolicyEvent[] | null = null;
  if (config.policy) {
    policy = await loadPolicyFile(config.policy, warmupStart, end, repairs);
  } else if (rate) {
    policy = derivePolicyEvents(rate, warmupStart, end);
    repairs.push(
      `policy: no policy file; ${policy.length} event${policy.length === 1 ? '' : 's'} derived from ${rate.sourceId} moves of at least 0.20 points`,
    );
  }
  return { source: 'csv', prices, news, macro, policy, repairs };
}
