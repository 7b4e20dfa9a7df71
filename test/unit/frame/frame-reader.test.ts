import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { readFrame, type FrameError } from '../../../analysis/frame/frame-reader';
import { normaliseProvince } from '../../../analysis/frame/provinces';
import { sizeClass } from '../../../analysis/frame/frame-columns';
import { frameErrorMessage } from '../../../analysis/frame/frame-messages';

const HEADER = 'kans_id;naam;type;provincie;gemeente;lid;leerlingen;omzet;subsidie;fte;docenten_loondienst;docenten_zzp';

function source(content: string | Buffer) {
  const buffer = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  // Small chunks, so rows and multi-byte characters straddle chunk borders.
  return () => Readable.from((function* () {
    for (let i = 0; i < buffer.length; i += 7) yield buffer.subarray(i, i + 7);
  })());
}

async function errorsOf(content: string): Promise<Pick<FrameError, 'line' | 'column' | 'code'>[]> {
  const summary = await readFrame(source(content));
  return summary.errors.map(({ line, column, code }) => ({ line, column, code }));
}

describe('frame reader', () => {
  it('reads a Dutch file with aliases, Dutch numbers and normalised provinces', async () => {
    const summary = await readFrame(source(`${HEADER}\nK1;Muziekschool Zwolle;Muziekschool;overijssel;Zwolle;ja;700;€ 427.000;149.450,50;5,9;6;8\nK2;CvdK Leeuwarden;Centrum voor de kunsten;Friesland;Leeuwarden;nee;1.800;936000;421200;13;12;20\n`));
    expect(summary.errors).toEqual([]);
    expect(summary.delimiter).toBe(';');
    expect(summary.encoding).toBe('utf-8');
    expect(summary.rows).toBe(2);
    expect(summary.members).toBe(1);
    expect(summary.students).toBe(2500);
    expect(summary.turnover_eur).toBe('1363000');
    expect(summary.firstRows[0]).toEqual({
      org_id: 'K1', name: 'Muziekschool Zwolle', org_type: 'muziekschool', province: 'Overijssel', municipality: 'Zwolle', member: true,
      students: 700, turnover_eur: '427000', subsidy_eur: '149450.5', fte: '5.9', teachers_employed: 6, teachers_freelance: 8, size_class: '250-999',
    });
    expect(summary.firstRows[1].province).toBe('Fryslân');
    expect(summary.byType['centrum voor de kunsten']).toEqual({ organisations: 1, members: 0, students: 1800, turnover_eur: '936000' });
    expect(summary.byProvince['Overijssel'].organisations).toBe(1);
  });

  it('reads canonical English headers in any case, with commas and quotes, and reports unknown columns', async () => {
    const summary = await readFrame(source('ORG_ID,Name,Org Type,Province,Member,Students,Turnover_EUR,Remarks\r\nA-1,"Kunstencentrum ""De Vonk"", Gouda",kunstencentrum,Zuid-Holland,yes,400,"192,000.00",hello\r\n'));
    expect(summary.errors).toEqual([]);
    expect(summary.delimiter).toBe(',');
    expect(summary.ignoredColumns).toEqual(['Remarks']);
    expect(summary.firstRows[0]).toMatchObject({ org_id: 'A-1', name: 'Kunstencentrum "De Vonk", Gouda', turnover_eur: '192000', member: true, municipality: null, fte: null });
  });

  it('reads Windows-1252 as Excel saves it, and UTF-8 with a BOM', async () => {
    const text = `${HEADER}\nK1;Súdwest-Fryslân muziek;muziekschool;Fryslân;Súdwest-Fryslân;ja;300;150000;0;2;0;5\n`;
    const latin = await readFrame(source(iconv.encode(text, 'win1252')));
    expect(latin.encoding).toBe('windows-1252');
    expect(latin.errors).toEqual([]);
    expect(latin.firstRows[0].municipality).toBe('Súdwest-Fryslân');
    expect(latin.firstRows[0].province).toBe('Fryslân');
    const bom = await readFrame(source(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])));
    expect(bom.encoding).toBe('utf-8');
    expect(bom.errors).toEqual([]);
    expect(bom.firstRows[0].org_id).toBe('K1');
  });

  it('names every error with its line as in the file, its column and its kind', async () => {
    const content = [
      HEADER,
      'K1;"Naam over',
      'twee regels";muziekschool;Utrecht;;ja;10;1000;0;1;0;1',
      'K2;;muziekschool;Utrecht;;ja;10;1000;0;1;0;1',
      'K3;Drie;muziekschool;Frisland;;ja;10;1000;0;1;0;1',
      'K4;Vier;muziekschool;Utrecht;;misschien;10;1000;0;1;0;1',
      'K5;Vijf;muziekschool;Utrecht;;ja;veel;-5;0;1;0;1',
      'K1;Zes;muziekschool;Utrecht;;ja;10,5;1000,123;0;1;0;1',
      '',
      'K7;Zeven;muziekschool;Utrecht;;ja;10;1000;0;1;0;1;extra',
    ].join('\n');
    expect(await errorsOf(content)).toEqual([
      { line: 4, column: 'naam', code: 'frame.error.required' },
      { line: 5, column: 'provincie', code: 'frame.error.unknown_province' },
      { line: 6, column: 'lid', code: 'frame.error.bad_boolean' },
      { line: 7, column: 'leerlingen', code: 'frame.error.not_a_number' },
      { line: 7, column: 'omzet', code: 'frame.error.negative' },
      { line: 8, column: 'leerlingen', code: 'frame.error.not_integer' },
      { line: 8, column: 'omzet', code: 'frame.error.too_many_decimals' },
      { line: 8, column: 'kans_id', code: 'frame.error.duplicate_id' },
      { line: 10, column: null, code: 'frame.error.too_many_fields' },
    ]);
  });

  it('reports duplicate ids with the first line', async () => {
    const summary = await readFrame(source(`${HEADER}\nK1;Een;muziekschool;Utrecht;;ja;1;1;0;1;0;1\nK1;Twee;muziekschool;Utrecht;;ja;1;1;0;1;0;1\n`));
    expect(summary.errors).toEqual([{ line: 3, column: 'kans_id', columnIndex: 1, code: 'frame.error.duplicate_id', params: { value: 'K1', first: 2 } }]);
    expect(frameErrorMessage('nl', summary.errors[0])).toBe('Regel 3, kolom kans_id: KAnS-id "K1" komt al voor op regel 2; elk id mag één keer voorkomen.');
  });

  it('reports missing required columns, empty files and files without rows', async () => {
    expect(await errorsOf('kans_id;naam;type\nK1;A;muziekschool\n')).toEqual([{ line: 1, column: 'province', code: 'frame.error.missing_column' }]);
    expect(await errorsOf('')).toEqual([{ line: 0, column: null, code: 'frame.error.empty_file' }]);
    expect(await errorsOf(`${HEADER}\n`)).toEqual([{ line: 0, column: null, code: 'frame.error.no_rows' }]);
  });

  it('hands out valid rows in batches and stops after the first error, while still collecting errors', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => `K${i};Org ${i};muziekschool;Utrecht;;ja;${i};${i * 100};0;1;0;1`);
    const batches: number[] = [];
    const ok = await readFrame(source(`${HEADER}\n${rows.join('\n')}\n`), { batchSize: 10, onBatch: async (b) => void batches.push(b.length) });
    expect(batches).toEqual([10, 10, 5]);
    expect(ok.rows).toBe(25);
    rows[12] = 'K12;;muziekschool;Utrecht;;ja;1;1;0;1;0;1';
    rows[20] = 'K20;Org;muziekschool;Nergens;;ja;1;1;0;1;0;1';
    const seen: number[] = [];
    const bad = await readFrame(source(`${HEADER}\n${rows.join('\n')}\n`), { batchSize: 10, onBatch: async (b) => void seen.push(b.length) });
    expect(seen).toEqual([10]);
    expect(bad.errorCount).toBe(2);
  });

  it('streams a large file', async () => {
    const n = 20_000;
    function* lines() {
      yield `${HEADER}\n`;
      for (let i = 0; i < n; i++) yield `K${i};Org ${i};muziekschool;Utrecht;;ja;${i % 3000};${i * 10};0;1;0;1\n`;
    }
    const summary = await readFrame(() => Readable.from((function* () { for (const l of lines()) yield Buffer.from(l); })()), { onBatch: async () => {} });
    expect(summary.errorCount).toBe(0);
    expect(summary.rows).toBe(n);
    expect(summary.firstRows).toHaveLength(10);
  });
});

describe('provinces and size classes', () => {
  it('normalises the ways people write provinces', () => {
    expect(normaliseProvince('Friesland')).toBe('Fryslân');
    expect(normaliseProvince('fryslan')).toBe('Fryslân');
    expect(normaliseProvince('Noord Brabant')).toBe('Noord-Brabant');
    expect(normaliseProvince('NOORD-HOLLAND')).toBe('Noord-Holland');
    expect(normaliseProvince('Brabant')).toBe('Noord-Brabant');
    expect(normaliseProvince('Vlaanderen')).toBeNull();
  });

  it('derives the size class from students', () => {
    expect([null, 0, 249, 250, 999, 1000, 2499, 2500].map((s) => sizeClass(s))).toEqual([null, '<250', '<250', '250-999', '250-999', '1000-2499', '1000-2499', '>=2500']);
  });
});
