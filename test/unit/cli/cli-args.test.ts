import { describe, expect, it } from 'vitest';
import { parseCommandArgs, UsageError } from '../../../server/cli/usage';

const options = {
  year: { type: 'string' },
  format: { type: 'string' },
  'dry-run': { type: 'boolean' },
} as const;

const parse = (args: string[]) => () => parseCommandArgs({ args, options, strict: true, allowPositionals: false });

describe('parseCommandArgs', () => {
  it('returns what parseArgs returns', () => {
    expect(parse(['--year', '2019', '--dry-run'])().values).toEqual({ year: '2019', 'dry-run': true });
  });

  it('names an unknown option in Dutch, with the option meant when it is a typing error', () => {
    expect(parse(['--yaer', '2019'])).toThrow(new UsageError('Onbekende optie "--yaer". Bedoelt u --year?'));
    expect(parse(['--formaat', 'csv'])).toThrow(new UsageError('Onbekende optie "--formaat". Bedoelt u --format?'));
    expect(parse(['--Year', '2019'])).toThrow(new UsageError('Onbekende optie "--Year". Bedoelt u --year?'));
    expect(parse(['--colour'])).toThrow(new UsageError('Onbekende optie "--colour".'));
  });

  it('says which option misses its value or takes none, and names an unexpected argument', () => {
    expect(parse(['--year'])).toThrow(new UsageError('De optie --year vraagt een waarde.'));
    expect(parse(['--dry-run=ja'])).toThrow(new UsageError('De optie --dry-run neemt geen waarde.'));
    expect(parse(['kans.csv'])).toThrow(new UsageError('Onverwacht argument "kans.csv".'));
  });
});
