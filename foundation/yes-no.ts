// Yes and no as people write them in KAnS exports, Excel and typed answers:
// Dutch and English words, their first letters, 1/0 and true/false (also the
// Dutch waar/onwaar that Excel writes). The one reading for the population
// frame and for answers.

const YES_NO: ReadonlyMap<string, boolean> = new Map([
  ['ja', true],
  ['j', true],
  ['yes', true],
  ['y', true],
  ['1', true],
  ['true', true],
  ['waar', true],
  ['nee', false],
  ['n', false],
  ['no', false],
  ['0', false],
  ['false', false],
  ['onwaar', false],
]);

/** The yes or no a word means (any case), or undefined when it is not one. The caller trims. */
export function parseYesNo(word: string): boolean | undefined {
  return YES_NO.get(word.toLowerCase());
}
