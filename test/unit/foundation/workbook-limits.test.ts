import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { FileLimitError, WORKBOOK_LIMITS } from '../../../foundation/file-limits';
import { readWorkbook } from '../../../foundation/xlsx/read-workbook';
import { definitionFromXlsx, definitionToXlsx } from '../../../surveys/definition-xlsform';
import { HOSTILE_KEYS, type HostileKind, hostileWorkbook } from '../../support/hostile-workbooks';
import { CORONA } from '../../support/survey-fixtures';

describe('a workbook is bounded before it is believed', () => {
  it('reads only the sheets asked for, as plain rows with Excel row and column numbers', async () => {
    const data = await definitionToXlsx(CORONA);
    const sheets = await readWorkbook(data, ['settings']);
    expect(sheets.map((s) => s.name)).toEqual(['settings']);
    const [header, values] = sheets[0]!.rows;
    expect(header!.row).toBe(1);
    expect(header!.cells[0]).toEqual([1, 'form_id']);
    expect(values!.row).toBe(2);
    expect(values!.cells.find(([, v]) => v === CORONA.key)).toBeDefined();
  });

  it('refuses each hostile variant of a real exported workbook with what was too large, in Dutch', async () => {
    const base = await definitionToXlsx(CORONA);
    expect(Object.keys(unzipSync(base))).toContain('xl/worksheets/sheet1.xml');
    const refused: Record<string, string[]> = {};
    const inner: Record<string, string> = {};
    // Without the ratio check each is still stopped, by the cap it is about.
    const noRatio = { ...WORKBOOK_LIMITS, maxRatio: 1e9, maxEntryUnpacked: 100 * 1024 * 1024 };
    for (const kind of Object.keys(HOSTILE_KEYS) as HostileKind[]) {
      const file = await hostileWorkbook(base, kind);
      expect(file.length, kind).toBeLessThan(2 * 1024 * 1024);
      const read = await definitionFromXlsx(file);
      refused[kind] = read.ok ? [] : read.problems.map((p) => p.key);
      const error = await readWorkbook(file, ['survey', 'choices', 'settings'], noRatio).catch((e: unknown) => e);
      inner[kind] = error instanceof FileLimitError ? error.key : String(error);
    }
    expect(refused).toEqual({
      col_billion: ['limits.xlsx.layout'],
      merge_whole_sheet: ['limits.xlsx.layout'],
      five_million_columns: ['limits.xlsx.ratio'],
      many_cells: ['limits.xlsx.ratio'],
      deep_nesting: ['limits.xlsx.ratio'],
      three_million_strings: ['limits.xlsx.ratio'],
      many_strings: ['limits.xlsx.ratio'],
      zero_image: ['limits.xlsx.unpacked'],
    });
    expect(inner).toEqual(HOSTILE_KEYS);
  }, 120_000);

  it('stops a parse that passes the worker memory or time limit without touching the caller', async () => {
    const data = await definitionToXlsx(CORONA);
    const slow = { ...WORKBOOK_LIMITS, workerMs: 1 };
    await expect(readWorkbook(data, null, slow)).rejects.toMatchObject({ key: 'limits.xlsx.time' });
    const error = await readWorkbook(Buffer.from('PK\x03\x04 not a zip'), null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileLimitError);
    expect((error as FileLimitError).key).toBe('limits.xlsx.not_zip');
  });
});
