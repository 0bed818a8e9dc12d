/** Export: training/validation rows as CSV and JSON, plus the manifest, each written atomically. */
import path from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../files';
import { FEATURE_NAMES, type Dataset, type Direction, type FeatureName, type Row } from '../types';

export type ExportedRow = { date: string; ticker: string; target: Direction } & Record<FeatureName, number>;

export interface ExportFiles {
  trainingCsv: string;
  trainingJson: string;
  validationCsv: string;
  validationJson: string;
  manifest: string;
}

/** File names for a dataset: dates compacted to YYYYMMDD (`training_data_20200102-20241129.csv`). */
export function exportFileNames(ds: Dataset): ExportFiles {
  const span = `${ds.manifest.start.replaceAll('-', '')}-${ds.manifest.end.replaceAll('-', '')}`;
  return {
    trainingCsv: `training_data_${span}.csv`,
    trainingJson: `training_data_${span}.json`,
    validationCsv: `validation_data_${span}.csv`,
    validationJson: `validation_data_${span}.json`,
    manifest: `manifest_${span}.json`,
  };
}

export const EXPORT_COLUMNS = ['date', 'ticker', ...FEATURE_NAMES, 'target'] as const;

// Every field is an ISO date, a ticker symbol or a number, so no CSV quoting is ever needed.
function toCsv(rows: readonly Row[]): string {
  const lines = [EXPORT_COLUMNS.join(',')];
  for (const row of rows) lines.push(`${row.date},${row.ticker},${row.features.join(',')},${row.target}`);
  return lines.join('\n') + '\n';
}

function toRecords(rows: readonly Row[]): ExportedRow[] {
  return rows.map((row) => {
    const record: Record<string, string | number> = { date: row.date, ticker: row.ticker };
    FEATURE_NAMES.forEach((name, k) => (record[name] = row.features[k]));
    record.target = row.target as Direction;
    return record as ExportedRow;
  });
}

/** A JSON array with one record per line: thousands of rows stay readable and diffable. */
function toJson(rows: readonly Row[]): string {
  const records = toRecords(rows).map((record) => JSON.stringify(record));
  return records.length === 0 ? '[]\n' : `[\n${records.join(',\n')}\n]\n`;
}

/** Writes the five files into `outDir` (created if needed) and returns their paths. */
export async function exportDataset(ds: Dataset, outDir: string): Promise<string[]> {
  const names = exportFileNames(ds);
  const train = ds.rows.filter((r) => r.part === 'train');
  const validation = ds.rows.filter((r) => r.part === 'validation');
  const file = (name: string): string => path.join(outDir, name);
  await writeFileAtomic(file(names.trainingCsv), toCsv(train));
  await writeFileAtomic(file(names.trainingJson), toJson(train));
  await writeFileAtomic(file(names.validationCsv), toCsv(validation));
  await writeFileAtomic(file(names.validationJson), toJson(validation));
  await writeJsonAtomic(file(names.manifest), ds.manifest);
  return [names.trainingCsv, names.trainingJson, names.validationCsv, names.validationJson, names.manifest].map(file);
}
