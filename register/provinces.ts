// The twelve provinces under their official names, and the ways people write them.
export const PROVINCES = [
  'Groningen',
  'Fryslân',
  'Drenthe',
  'Overijssel',
  'Flevoland',
  'Gelderland',
  'Utrecht',
  'Noord-Holland',
  'Zuid-Holland',
  'Zeeland',
  'Noord-Brabant',
  'Limburg',
] as const;

export type Province = (typeof PROVINCES)[number];

function key(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

const ALIASES: Record<string, Province> = {};
for (const province of PROVINCES) ALIASES[key(province)] = province;
Object.assign(ALIASES, {
  friesland: 'Fryslân',
  nh: 'Noord-Holland',
  zh: 'Zuid-Holland',
  nb: 'Noord-Brabant',
  brabant: 'Noord-Brabant',
  nbrabant: 'Noord-Brabant',
  nholland: 'Noord-Holland',
  zholland: 'Zuid-Holland',
  gron: 'Groningen',
  gld: 'Gelderland',
  utr: 'Utrecht',
  ov: 'Overijssel',
  flev: 'Flevoland',
  dr: 'Drenthe',
  fr: 'Fryslân',
  li: 'Limburg',
  lb: 'Limburg',
  ze: 'Zeeland',
  ut: 'Utrecht',
  gr: 'Groningen',
  gd: 'Gelderland',
  fl: 'Flevoland',
});

/** What has been written before and what it meant: a frame repeats a dozen spellings 100,000 times. */
const seen = new Map<string, Province | null>();

/** The official name for what was written ("Friesland", "noord brabant"), or null. */
export function normaliseProvince(value: string): Province | null {
  let province = seen.get(value);
  if (province === undefined) {
    province = ALIASES[key(value)] ?? null;
    if (seen.size < 1000) seen.set(value, province);
  }
  return province;
}
