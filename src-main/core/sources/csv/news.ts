import type { NewsDay } from '../../types';
import { badInput, dedupeAndSort, findColumn, parseDate, parseNumber, readCsvTable, requireColumn } from './table';

const DATE = ['date', 'day', 'datetime', 'publisheddate'];
const TICKER = ['ticker', 'symbol', 'stock'];
const SENTIMENT = ['sentiment', 'sentimentmean', 'meansentiment', 'avgsentiment', 'sentimentscore', 'newssentiment'];
const COUNT = ['count', 'narticles', 'articles', 'articlecount', 'numarticles', 'newscount'];
const RELEVANCE = ['relevance', 'relevancemean', 'meanrelevance', 'avgrelevance', 'newsrelevance'];

/** Per-ticker daily news rows for the requested tickers and calendar days in [warmupStart, end]. */
export async function loadNews(
  file: string,
  tickers: string[],
  warmupStart: string,
  end: string,
  repairs: string[],
): Promise<NewsDay[]> {
  const table = await readCsvTable(file, repairs);
  const { name } = table;
  const col = {
    date: requireColumn(table, 'date', DATE),
    ticker: requireColumn(table, 'ticker', TICKER),
    sentiment: requireColumn(table, 'sentiment', SENTIMENT),
    count: requireColumn(table, 'count', COUNT),
    relevance: findColumn(table, RELEVANCE),
  };
  if (col.relevance < 0) repairs.push(`${name}: no relevance column; relevance = 1 on days with articles, 0 otherwise`);
  const wanted = new Map(tickers.map((t) => [t.toUpperCase(), t]));

  const days: (NewsDay & { line: number })[] = [];
  let derivedRelevance = 0;
  for (const { line, cells } of table.rows) {
    const ticker = wanted.get((cells[col.ticker] ?? '').toUpperCase());
    if (ticker === undefined) continue;
    const where = { file, line };
    const date = parseDate(cells[col.date] ?? '', where);
    const count = parseNumber(cells[col.count] ?? '', 'count', where).value;
    if (count < 0) throw badInput(`count must be zero or more, got ${count}`, file, line);
    const sentimentCell = cells[col.sentiment] ?? '';
    // A day with no articles may leave the sentiment blank; it then says nothing, i.e. 0.
    const sentiment = sentimentCell === '' && count === 0 ? 0 : parseNumber(sentimentCell, 'sentiment', where).value;
    if (sentiment < -1 || sentiment > 1) throw badInput(`sentiment ${sentimentCell} is outside [-1, 1]`, file, line);
    const relevanceCell = col.relevance >= 0 ? (cells[col.relevance] ?? '') : '';
    let relevance: number;
    if (relevanceCell === '') {
      relevance = count > 0 ? 1 : 0;
      if (col.relevance >= 0) derivedRelevance++;
    } else {
      relevance = parseNumber(relevanceCell, 'relevance', where).value;
      if (relevance < 0 || relevance > 1) throw badInput(`relevance ${relevanceCell} is outside [0, 1]`, file, line);
    }
    if (date >= warmupStart && date <= end) days.push({ date, ticker, sentiment, count, relevance, line });
  }
  if (derivedRelevance > 0) {
    repairs.push(`${name}: ${derivedRelevance} empty relevance value${derivedRelevance === 1 ? '' : 's'}; set to 1 on days with articles, 0 otherwise`);
  }
  if (days.length === 0) repairs.push(`${name}: no news for ${tickers.join(', ')} between ${warmupStart} and ${end}`);
  const sorted = dedupeAndSort(days, { key: (d) => `${d.ticker}|${d.date}`, name, what: 'ticker-day' }, repairs);
  return sorted.map(({ date, ticker, sentiment, count, relevance }) => ({ date, ticker, sentiment, count, relevance }));
}
