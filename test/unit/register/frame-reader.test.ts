import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { demoFrameCsv, generateDemoFrame } from '../../../register/demo-frame';
import { frameErrorMessage } from '../../../register/frame-messages';
import {
  type FrameError,
  type FrameRow,
  MAX_KEPT_ERRORS,
  readFrame,
  readFrameBatches,
} from '../../../register/frame-reader';
import { hasMessage } from '../../../views/i18n/index';

const HEADER =
  'kans_id;naam;type;provincie;gemeente;lid;leerlingen;omzet;subsidie;fte;docenten_loondienst;docenten_zzp';
const FIXTURES = new URL('../../fixtures/frame/', import.meta.url);

/** The bytes as a stream of 7-byte chunks, so rows and multi-byte characters straddle chunk borders. */
function chunked(content: string | Buffer, size = 7): Readable {
  const buffer = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return Readable.from(
    (function* () {
      for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
    })(),
  );
}
const source = (content: string | Buffer) => () => chunked(content);

type Place = Pick<FrameError, 'line' | 'column' | 'code'>;
const places = (errors: FrameError[]): Place[] => errors.map(({ line, column, code }) => ({ line, column, code }));
async function errorsOf(content: string | Buffer): Promise<Place[]> {
  return places((await readFrame(source(content))).errors);
}
const row = (id: string, rest = 'Org;muziekschool;Utrecht;;ja;10;1000;0;1;0;1') => `${id};${rest}`;

describe('frame reader: reading', () => {
  it('reads a Dutch file with aliases, Dutch numbers and normalised provinces', async () => {
    const summary = await readFrame(
      source(
        `${HEADER}\nK1;Muziekschool Zwolle;Muziekschool;overijssel;Zwolle;ja;700;€ 427.000;149.450,50;5,9;6;8\nK2;CvdK Leeuwarden;Centrum voor de kunsten;Friesland;Leeuwarden;nee;1.800;936000;421200;13;12;20\n`,
      ),
    );
    expect(summary.errors).toEqual([]);
    expect(summary).toMatchObject({
      delimiter: ';',
      encoding: 'utf-8',
      rows: 2,
      members: 1,
      students: 2500,
      turnover_eur: '1363000',
      subsidy_eur: '570650.5',
    });
    expect(summary.firstRows[0]).toEqual({
      org_id: 'K1',
      name: 'Muziekschool Zwolle',
      org_type: 'muziekschool',
      province: 'Overijssel',
      municipality: 'Zwolle',
      member: true,
      students: 700,
      turnover_eur: '427000',
      subsidy_eur: '149450.5',
      fte: '5.9',
      teachers_employed: 6,
      teachers_freelance: 8,
      size_class: '250-999',
      email: null,
      contact_name: null,
    });
    expect(summary.firstRows[1]).toMatchObject({ province: 'Fryslân', size_class: '1000-2499', member: false });
    expect(summary.byType['centrum voor de kunsten']).toEqual({
      organisations: 1,
      members: 0,
      students: 1800,
      turnover_eur: '936000',
      subsidy_eur: '421200',
    });
    expect(summary.byProvince.Overijssel).toEqual({
      organisations: 1,
      members: 1,
      students: 700,
      turnover_eur: '427000',
      subsidy_eur: '149450.5',
    });
    // € 427.000 is an amount in thousands (cents come in twos); 1.800 students cannot be 1,8 students.
    expect(summary.ambiguous).toEqual([]);
  });

  it('reads canonical English headers in any case, with commas and quotes, and reports unknown columns as ignored', async () => {
    const summary = await readFrame(
      source(
        'ORG_ID,Name,Org Type,Province,Member,Students,Turnover_EUR,Remarks,\r\nA-1,"Kunstencentrum ""De Vonk"", Gouda",kunstencentrum,Zuid-Holland,yes,400,"192,000.00",hello,\r\n',
      ),
    );
    expect(summary.errors).toEqual([]);
    expect(summary.delimiter).toBe(',');
    expect(summary.ignoredColumns).toEqual(['Remarks']);
    expect(summary.firstRows[0]).toMatchObject({
      org_id: 'A-1',
      name: 'Kunstencentrum "De Vonk", Gouda',
      turnover_eur: '192000',
      member: true,
      municipality: null,
      fte: null,
      students: 400,
    });
  });

  it('tolerates how people write headers: spaces, hyphens, underscores, a unit in brackets', async () => {
    const summary = await readFrame(
      source(
        ' KAnS-ID ;NAAM;Type;Provincie;Docenten ZZP;Omzet (€);subsidie [EUR];docenten-loondienst\nK1;Een;muziekschool;Utrecht;3;1000;0;2\n',
      ),
    );
    expect(summary.errors).toEqual([]);
    expect(summary.ignoredColumns).toEqual([]);
    expect(summary.firstRows[0]).toMatchObject({
      org_id: 'K1',
      teachers_freelance: 3,
      turnover_eur: '1000',
      subsidy_eur: '0',
      teachers_employed: 2,
    });
  });

  it('reads Windows-1252 as Excel saves it, and UTF-8 with and without a BOM', async () => {
    const text = `${HEADER}\nK1;Súdwest-Fryslân muziek;muziekschool;Fryslân;Súdwest-Fryslân;ja;300;150000;0;2;0;5\n`;
    const latin = await readFrame(source(iconv.encode(text, 'win1252')));
    expect(latin.encoding).toBe('windows-1252');
    expect(latin.errors).toEqual([]);
    expect(latin.firstRows[0]).toMatchObject({
      name: 'Súdwest-Fryslân muziek',
      municipality: 'Súdwest-Fryslân',
      province: 'Fryslân',
    });
    for (const bytes of [Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), Buffer.from(text)]) {
      const utf8 = await readFrame(source(bytes));
      expect(utf8.encoding).toBe('utf-8');
      expect(utf8.errors).toEqual([]);
      expect(utf8.firstRows[0]).toMatchObject({ org_id: 'K1', municipality: 'Súdwest-Fryslân' });
    }
  });

  it('detects Windows-1252 in one pass even when the first accent comes thousands of lines in', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => row(`K${i}`));
    rows.push(row('K-last', 'Muziekschool Súdwest-Fryslân;muziekschool;Fryslân;;ja;10;1000;0;1;0;1'));
    const summary = await readFrame(chunked(iconv.encode(`${HEADER}\n${rows.join('\n')}\n`, 'win1252'), 4096));
    expect(summary.encoding).toBe('windows-1252');
    expect(summary.errors).toEqual([]);
    expect(summary.rows).toBe(3001);
  });

  it('refuses a file that starts as UTF-8 and turns into Windows-1252, naming the line', async () => {
    const utf8 = Buffer.from(`${HEADER}\n${row('K1', 'Fryslân;muziekschool;Fryslân;;ja;1;1;0;1;0;1')}\n${row('K2')}\n`);
    const latin = iconv.encode(`${row('K3', 'Súdwest;muziekschool;Fryslân;;ja;1;1;0;1;0;1')}\n`, 'win1252');
    const summary = await readFrame(source(Buffer.concat([utf8, latin])));
    expect(places(summary.errors)).toEqual([{ line: 4, column: null, code: 'frame.error.mixed_encoding' }]);
    // Also when both parts arrive in one chunk, as a file read in 64 KiB chunks does: only the first
    // non-ASCII character decides the encoding, the rest cannot turn the file into Windows-1252.
    const whole = await readFrame(() => Readable.from([Buffer.concat([utf8, latin])]));
    expect(places(whole.errors)).toEqual([{ line: 4, column: null, code: 'frame.error.mixed_encoding' }]);
  });

  it('reads \\r\\n, \\n and old-Mac \\r line ends alike, with the right line numbers', async () => {
    for (const eol of ['\r\n', '\n', '\r']) {
      const content =
        [
          HEADER,
          row('K1', `"Twee${eol}regels";muziekschool;Utrecht;;ja;1;1;0;1;0;1`),
          row('K2', 'Org;muziekschool;Nergens;;ja;1;1;0;1;0;1'),
        ].join(eol) + eol;
      expect(await errorsOf(content), JSON.stringify(eol)).toEqual([
        { line: 4, column: 'provincie', code: 'frame.error.unknown_province' },
      ]);
    }
  });

  it('accepts a single Node stream (an upload) as well as a function that opens the file', async () => {
    const summary = await readFrame(chunked(`${HEADER}\n${row('K1')}\n`));
    expect(summary.rows).toBe(1);
    const fixture = await readFrame(() => Readable.from([readFileSync(new URL('small.csv', FIXTURES))]));
    expect(fixture.errors).toEqual([]);
    expect(fixture.ignoredColumns).toEqual(['opmerking']);
    expect(fixture.firstRows.map((r) => r.name)).toEqual([
      'Muziekschool Zwolle',
      'Centrum voor de Kunsten "De Lichtboog"',
    ]); // line breaks in a name become spaces
  });
});

describe('frame reader: errors', () => {
  it('names every error kind with its line as in the file, its column as written, its position and field', async () => {
    const summary = await readFrame(() => Readable.from([readFileSync(new URL('every-error.csv', FIXTURES))]));
    expect(
      summary.errors.map(({ line, column, columnIndex, field, code }) => ({ line, column, columnIndex, field, code })),
    ).toEqual([
      { line: 4, column: 'Naam', columnIndex: 2, field: 'name', code: 'frame.error.required' },
      { line: 5, column: 'Provincie', columnIndex: 4, field: 'province', code: 'frame.error.unknown_province' },
      { line: 6, column: 'Lid', columnIndex: 6, field: 'member', code: 'frame.error.bad_boolean' },
      { line: 7, column: 'Leerlingen', columnIndex: 7, field: 'students', code: 'frame.error.not_a_number' },
      { line: 7, column: 'Omzet (€)', columnIndex: 8, field: 'turnover_eur', code: 'frame.error.negative' },
      { line: 8, column: 'Leerlingen', columnIndex: 7, field: 'students', code: 'frame.error.not_integer' },
      { line: 8, column: 'Omzet (€)', columnIndex: 8, field: 'turnover_eur', code: 'frame.error.too_many_decimals' },
      { line: 8, column: 'KAnS-ID', columnIndex: 1, field: 'org_id', code: 'frame.error.duplicate_id' },
      { line: 10, column: null, columnIndex: 14, field: null, code: 'frame.error.too_many_fields' },
    ]);
    expect(summary.ignoredColumns).toEqual(['Opmerking']);
    expect(summary.rows).toBe(1);
  });

  it('reports duplicate ids with both lines, and says so in Dutch and English', async () => {
    const summary = await readFrame(source(`${HEADER}\n${row('K1')}\n${row('K1')}\n`));
    expect(summary.errors).toEqual([
      {
        line: 3,
        column: 'kans_id',
        columnIndex: 1,
        field: 'org_id',
        code: 'frame.error.duplicate_id',
        params: { value: 'K1', first: 2 },
      },
    ]);
    expect(frameErrorMessage('nl', summary.errors[0])).toBe(
      'Regel 3, kolom kans_id: KAnS-id "K1" komt al voor op regel 2; elk id mag één keer voorkomen.',
    );
    expect(frameErrorMessage('en', summary.errors[0])).toBe(
      'Line 3, column kans_id: KAnS id "K1" already appears on line 2; every id may appear once.',
    );
  });

  it('reports too long texts, implausible numbers and NUL characters', async () => {
    const summary = await readFrame(
      source(
        `${HEADER}\n${row('K1', `${'x'.repeat(301)};muziekschool;Utrecht;;ja;3000000000;1000;0;1;0;1`)}\n${row('K2', 'Org\u0000;muziekschool;Utrecht;;ja;1;100000000000000;0;1;0;1')}\n${row('K'.repeat(65))}\n`,
      ),
    );
    expect(places(summary.errors)).toEqual([
      { line: 2, column: 'naam', code: 'frame.error.too_long' },
      { line: 2, column: 'leerlingen', code: 'frame.error.too_large' },
      { line: 3, column: 'naam', code: 'frame.error.invalid_characters' },
      { line: 3, column: 'omzet', code: 'frame.error.too_large' },
      { line: 4, column: 'kans_id', code: 'frame.error.too_long' },
    ]);
    expect(summary.errors[0].params).toMatchObject({ max: 300, length: 301 });
    expect(frameErrorMessage('nl', summary.errors[0])).toBe(
      'Regel 2, kolom naam: De tekst is 301 tekens lang; "naam" mag hoogstens 300 tekens hebben.',
    );
  });

  it('reads contact columns: several addresses in one cell, lower case, and refuses a bad one at its line and column', async () => {
    const good = await readFrame(
      source(
        'kans_id;naam;type;provincie;E-mail;Contactpersoon\nK1;A;muziekschool;Utrecht;"Info@A.nl; directie@a.nl, info@a.nl";Jan Jansen\nK2;B;muziekschool;Utrecht;;\n',
      ),
    );
    expect(good.errors).toEqual([]);
    expect(good.firstRows[0]).toMatchObject({ email: 'info@a.nl directie@a.nl', contact_name: 'Jan Jansen' });
    expect(good.firstRows[1]).toMatchObject({ email: null, contact_name: null });
    const bad = await readFrame(
      source(
        'kans_id;naam;type;provincie;email\nK1;A;muziekschool;Utrecht;info@a.nl\nK2;B;muziekschool;Utrecht;"info@b.nl, geen-adres"\n',
      ),
    );
    expect(places(bad.errors)).toEqual([{ line: 3, column: 'email', code: 'frame.error.bad_email' }]);
    expect(frameErrorMessage('nl', bad.errors[0])).toContain('"geen-adres" in "email" is geen e-mailadres');
  });

  it('reports the header: missing required columns, a column twice, an empty file, no rows', async () => {
    expect(await errorsOf('kans_id;naam;type\nK1;A;muziekschool\n')).toEqual([
      { line: 1, column: 'province', code: 'frame.error.missing_column' },
    ]);
    expect(await errorsOf(`${HEADER};name\n`)).toEqual([
      { line: 1, column: 'name', code: 'frame.error.duplicate_column' },
    ]);
    expect(await errorsOf('')).toEqual([{ line: 0, column: null, code: 'frame.error.empty_file' }]);
    expect(await errorsOf('\uFEFF\n\n')).toEqual([{ line: 0, column: null, code: 'frame.error.empty_file' }]);
    expect(await errorsOf(`${HEADER}\n`)).toEqual([{ line: 0, column: null, code: 'frame.error.no_rows' }]);
    expect(await errorsOf(HEADER)).toEqual([{ line: 0, column: null, code: 'frame.error.no_rows' }]);
  });

  it('reports broken quoting where it starts, and an unclosed quote without reading the rest into memory', async () => {
    expect(
      await errorsOf(
        `${HEADER}\n${row('K1')}\n${row('K2', '"Org" x;muziekschool;Utrecht;;ja;1;1;0;1;0;1')}\n${row('K3')}\n`,
      ),
    ).toEqual([{ line: 3, column: null, code: 'frame.error.invalid_quotes' }]);
    expect(
      await errorsOf(
        `${HEADER}\n${row('K1')}\n${row('K2', '"Org;muziekschool;Utrecht;;ja;1;1;0;1;0;1')}\n${row('K3')}\n`,
      ),
    ).toEqual([{ line: 3, column: null, code: 'frame.error.unclosed_quote' }]);
    const huge = `${HEADER}\n${row('K1')}\nK2;"${'open quote and then everything\n'.repeat(60_000)}`;
    const summary = await readFrame(chunked(huge, 65536));
    expect(places(summary.errors)).toEqual([{ line: 3, column: null, code: 'frame.error.unclosed_quote' }]);
  });

  it('keeps the first 1000 errors and counts the rest', async () => {
    const rows = Array.from({ length: 1500 }, (_, i) => row(`K${i}`, 'Org;muziekschool;Atlantis;;ja;1;1;0;1;0;1'));
    const summary = await readFrame(chunked(`${HEADER}\n${rows.join('\n')}\n`, 65536));
    expect(summary.errors).toHaveLength(MAX_KEPT_ERRORS);
    expect(summary.errorCount).toBe(1500);
    expect(summary.errors.at(-1)!.line).toBe(1001);
  });

  it('has a Dutch and an English text for every error code', async () => {
    const codes = [
      'empty_file',
      'no_rows',
      'mixed_encoding',
      'missing_column',
      'duplicate_column',
      'too_many_fields',
      'unclosed_quote',
      'invalid_quotes',
      'required',
      'duplicate_id',
      'negative',
      'unknown_province',
      'not_a_number',
      'not_integer',
      'too_many_decimals',
      'too_large',
      'bad_boolean',
      'too_long',
      'invalid_characters',
    ];
    for (const code of codes) {
      expect(hasMessage(`frame.error.${code}`), code).toBe(true);
      const error: FrameError = {
        line: 7,
        column: 'omzet',
        columnIndex: 8,
        field: 'turnover_eur',
        code: `frame.error.${code}` as FrameError['code'],
        params: {
          value: 'x',
          column: 'omzet',
          max: 2,
          length: 3,
          first: 2,
          found: 3,
          expected: 2,
          field: 'org_id',
          alias: 'kans_id',
          other: 'naam',
        },
      };
      for (const locale of ['nl', 'en'] as const)
        expect(frameErrorMessage(locale, error), `${locale} ${code}`).not.toMatch(/\{\w+\}|frame\.error/);
    }
  });
});

describe('frame reader: batches for an all-or-nothing import', () => {
  it('hands out valid rows in batches, none after the first error, while still collecting every error', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => row(`K${i}`));
    const batches: number[] = [];
    const ok = await readFrame(source(`${HEADER}\n${rows.join('\n')}\n`), {
      batchSize: 10,
      onBatch: async (b) => void batches.push(b.length),
    });
    expect(batches).toEqual([10, 10, 5]);
    expect(ok.rows).toBe(25);
    rows[12] = row('K12', ';muziekschool;Utrecht;;ja;1;1;0;1;0;1');
    rows[20] = row('K20', 'Org;muziekschool;Nergens;;ja;1;1;0;1;0;1');
    const seen: number[] = [];
    const bad = await readFrame(source(`${HEADER}\n${rows.join('\n')}\n`), {
      batchSize: 10,
      onBatch: async (b) => void seen.push(b.length),
    });
    expect(seen).toEqual([10]);
    expect(bad.errorCount).toBe(2);
  });

  it('is an async iterable of batches with the summary complete at the end', async () => {
    const reading = readFrameBatches(chunked(`${HEADER}\n${row('K1')}\n${row('K2')}\n${row('K3')}\n`), {
      batchSize: 2,
    });
    const got: FrameRow[][] = [];
    for await (const batch of reading) got.push(batch);
    expect(got.map((b) => b.map((r) => r.org_id))).toEqual([['K1', 'K2'], ['K3']]);
    expect(reading.summary).toMatchObject({ rows: 3, errorCount: 0, turnover_eur: '3000' });
    await expect(async () => {
      for await (const _ of reading) void _;
    }).rejects.toThrow(/only once/);
  });

  it('releases the file when the consumer stops early (a failed insert)', async () => {
    const stream = chunked(`${HEADER}\n${Array.from({ length: 100 }, (_, i) => row(`K${i}`)).join('\n')}\n`, 256);
    const reading = readFrameBatches(stream, { batchSize: 5 });
    await expect(
      (async () => {
        for await (const _ of reading) throw new Error('insert failed');
      })(),
    ).rejects.toThrow('insert failed');
    expect(stream.destroyed).toBe(true);
  });

  it('streams a generated 20,000-row branch with exact totals', async () => {
    const rows = generateDemoFrame({ orgs: 20_000, seed: 11 });
    const csv = demoFrameCsv(rows);
    const stream = Readable.from(
      (function* () {
        for (const line of csv) yield Buffer.from(line);
      })(),
    );
    let batches = 0;
    let largest = 0;
    const summary = await readFrame(stream, {
      onBatch: async (b) => {
        batches++;
        largest = Math.max(largest, b.length);
      },
    });
    expect(summary.errorCount).toBe(0);
    expect(summary.rows).toBe(20_000);
    expect(batches).toBe(10);
    expect(largest).toBe(2000);
    expect(summary.firstRows).toHaveLength(10);
    const cents = (v: string | null) => BigInt(Math.round(Number(v ?? 0) * 100));
    const expected = rows.reduce((s, r) => s + cents(r.turnover_eur), 0n);
    expect(BigInt(Math.round(Number(summary.turnover_eur) * 100))).toBe(expected);
    expect(Object.values(summary.byType).reduce((s, t) => s + t.organisations, 0)).toBe(20_000);
    expect(Object.keys(summary.byProvince).sort()).toHaveLength(12);
  });
});
