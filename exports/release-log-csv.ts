// The release log as a CSV: one row per publication, withdrawal or export.
import { toCsv } from '../foundation/csv/csv';
import { CSV_CONTENT_TYPE, type ExportFile } from './export-file';
import type { ReleaseEntry } from './release-log';

const COLUMNS = [
  'at',
  'who',
  'kind',
  'wave',
  'stratify',
  'by',
  'questions',
  'format',
  'publication',
  'version',
  'organisations',
];

export function releaseLogCsv(entries: ReleaseEntry[]): ExportFile {
  const rows = entries.map((e) => [
    e.at.toISOString(),
    e.who ?? (e.source === 'cli' ? 'cli' : ''),
    e.kind,
    e.wave,
    e.view.stratify.join(','),
    e.view.by ?? '',
    e.view.questions.join(','),
    e.format,
    e.publication_slug ?? '',
    e.publication_version ?? '',
    (e.view.organisations ?? []).join(','),
  ]);
  return {
    fileName: 'impactmonitor-uitgiftes.csv',
    contentType: CSV_CONTENT_TYPE,
    content: toCsv(COLUMNS, rows, 'csv'),
  };
}
