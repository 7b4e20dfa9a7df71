import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { csvLine, neutraliseFormula, toCsv } from '../../../foundation/csv/csv';

describe('CSV against formula injection', () => {
  it('quotes every text cell in both flavours, whatever the delimiter', () => {
    expect(csvLine(['x;=2+3', 'a,b', 'plain'], 'csv')).toBe(`"x;'=2+3","a,b","plain"\r\n`);
    expect(csvLine(['x,=2+3', 'a;b', 'plain'], 'csv-nl')).toBe(`"x,'=2+3";"a;b";"plain"\r\n`);
    // Numbers stay unquoted so spreadsheets read them as numbers.
    expect(csvLine([1.5, { decimal: '2.5' }, null, true], 'csv-nl')).toBe('1,5;2,5;;ja\r\n');
  });

  it('neutralises a formula at the start and after any delimiter, space or newline', () => {
    expect(neutraliseFormula('=1+1')).toBe("'=1+1");
    expect(neutraliseFormula('a; =1')).toBe("a; '=1");
    expect(neutraliseFormula('a,+1\n@x\t-2')).toBe("a,'+1\n'@x\t'-2");
    expect(neutraliseFormula('\t=1')).toBe("'\t'=1");
    expect(neutraliseFormula('e-mail: a@b.nl, 3-4')).toBe('e-mail: a@b.nl, 3-4');
  });

  it('reads back to the neutralised text with a CSV parser in both flavours', () => {
    for (const flavour of ['csv', 'csv-nl'] as const) {
      const text = toCsv(['name', 'remark'], [['x;=2+3', 'He said "hi", =A1']], flavour);
      const parsed = Papa.parse<string[]>(text.replace(/^\ufeff/, ''), {
        delimiter: flavour === 'csv' ? ',' : ';',
        skipEmptyLines: true,
      });
      expect(parsed.data[1]).toEqual(["x;'=2+3", `He said "hi", '=A1`]);
    }
  });
});
