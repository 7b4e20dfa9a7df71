// The cell-key method (ABS TableBuilder: Thompson, Broadfoot & Elazar 2013;
// Giessing & Tent 2019; R packages cellKey and ptable). Every response has a
// secret record key, an integer 0 ≤ k < 2^32 drawn once by the database. The key
// of a cell is the sum of its respondents' record keys modulo 2^32: the same set
// of respondents always gives the same key, in every view, export and wave
// report, and a set that differs by one respondent gives an unrelated key. The
// noise of a published number is a deterministic function of its cell key, so it
// is the same wherever the number appears and does not cancel when views are
// subtracted. Integer keys make the sum exact and independent of the order in
// which the database or the report adds them.

export const KEY_SPACE = 2 ** 32;

/** murmur3's 32-bit finaliser: spreads every bit of the summed key over the result. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a of a text: the fixed shift that gives each question (and option) its own noise. */
export function textKey(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Sum of record keys modulo 2^32 (each term may be a database sum of up to 2^53). */
export function addKeys(...sums: number[]): number {
  let total = 0;
  for (const s of sums) total = (total + (s % KEY_SPACE)) % KEY_SPACE;
  return total;
}

/**
 * The cell key: a uniform number in [0, 1) from the cell's key sum and a shift
 * naming what is published (question, option, statistic family), so two
 * questions of the same respondents get independent noise.
 */
export function cellKey(keySum: number, shift: string): number {
  return mix32(addKeys(keySum, textKey(shift))) / KEY_SPACE;
}

/** A second, independent uniform number from the same cell key (e.g. the sign, or the SE's inflation). */
export function subKey(key: number, stream: number): number {
  return mix32(Math.floor(key * KEY_SPACE) ^ mix32(0x9e3779b9 * (stream + 1))) / KEY_SPACE;
}
