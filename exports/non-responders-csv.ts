// The organisations that have not submitted a wave, as a CSV for follow-up by phone or mail.
import { type CsvFlavour, toCsv } from '../foundation/csv/csv';
import type { NonResponder } from '../surveys/waves/monitoring';
import { CSV_CONTENT_TYPE, type ExportFile } from './export-file';

const COLUMNS = ['org_id', 'name', 'org_type', 'province', 'member', 'status', 'contacts', 'last_mail'];

export function nonRespondersCsv(waveSlug: string, organisations: NonResponder[], flavour: CsvFlavour): ExportFile {
  const rows = organisations.map((o) => [
    o.org_id,
    o.name,
    o.org_type,
    o.province,
    o.member,
    o.status,
    o.contacts.join(' '),
    o.last_mail ? o.last_mail.toISOString() : null,
  ]);
  return {
    fileName: `niet-ingediend-${waveSlug}.csv`,
    contentType: CSV_CONTENT_TYPE,
    content: toCsv(COLUMNS, rows, flavour),
  };
}
