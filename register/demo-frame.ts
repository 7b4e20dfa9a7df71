// A realistic synthetic branch for the demo and the benchmarks, calibrated on the
// working assumptions of DOMAIN.md (types and shares, students, turnover per
// student, subsidy share, FTE, teachers, provinces by population, ~70% members).
// Seeded: the same seed gives the same branch.
import { sizeClass } from './frame-columns';
import type { FrameRow } from './frame-reader';
import type { Province } from './provinces';
import { Random } from './random';

interface TypeProfile {
  type: string;
  share: number;
  medianStudents: number;
  spread: number;
  turnoverPerStudent: number;
  subsidyShare: number;
  memberChance: number;
  namePrefixes: readonly string[];
}

export const DEMO_TYPES: readonly TypeProfile[] = [
  {
    type: 'centrum voor de kunsten',
    share: 0.38,
    medianStudents: 1800,
    spread: 0.75,
    turnoverPerStudent: 520,
    subsidyShare: 0.45,
    memberChance: 0.85,
    namePrefixes: ['Centrum voor de Kunsten', 'Kunstencentrum', 'Cultuurhuis'],
  },
  {
    type: 'muziekschool',
    share: 0.22,
    medianStudents: 700,
    spread: 0.5,
    turnoverPerStudent: 610,
    subsidyShare: 0.35,
    memberChance: 0.8,
    namePrefixes: ['Muziekschool', 'Muziekschool', 'Muziek- en Dansschool'],
  },
  {
    type: 'particuliere aanbieder',
    share: 0.3,
    medianStudents: 120,
    spread: 0.7,
    turnoverPerStudent: 700,
    subsidyShare: 0,
    memberChance: 0.45,
    namePrefixes: ['Muziekpraktijk', 'Dansstudio', 'Atelier', 'Zangstudio', 'Pianoschool'],
  },
  {
    type: 'kunstencentrum / creativiteitscentrum',
    share: 0.1,
    medianStudents: 400,
    spread: 0.5,
    turnoverPerStudent: 480,
    subsidyShare: 0.5,
    memberChance: 0.75,
    namePrefixes: ['Creativiteitscentrum', 'Kunstwerkplaats', 'Creatief Centrum'],
  },
];

/** Provinces weighted by population (millions), with some of their municipalities. */
export const DEMO_PROVINCES: readonly (readonly [Province, number, readonly string[]])[] = [
  [
    'Zuid-Holland',
    3.8,
    [
      'Rotterdam',
      'Den Haag',
      'Leiden',
      'Dordrecht',
      'Zoetermeer',
      'Delft',
      'Gouda',
      'Alphen aan den Rijn',
      'Westland',
      'Schiedam',
    ],
  ],
  [
    'Noord-Holland',
    2.9,
    ['Amsterdam', 'Haarlem', 'Zaanstad', 'Alkmaar', 'Hilversum', 'Amstelveen', 'Hoorn', 'Den Helder', 'Purmerend'],
  ],
  [
    'Noord-Brabant',
    2.6,
    ['Eindhoven', 'Tilburg', 'Breda', "'s-Hertogenbosch", 'Helmond', 'Oss', 'Roosendaal', 'Bergen op Zoom'],
  ],
  ['Gelderland', 2.1, ['Nijmegen', 'Arnhem', 'Apeldoorn', 'Ede', 'Doetinchem', 'Zutphen', 'Harderwijk', 'Tiel']],
  ['Utrecht', 1.4, ['Utrecht', 'Amersfoort', 'Nieuwegein', 'Veenendaal', 'Zeist', 'Houten']],
  ['Overijssel', 1.2, ['Zwolle', 'Enschede', 'Deventer', 'Almelo', 'Hengelo', 'Kampen']],
  ['Limburg', 1.1, ['Maastricht', 'Venlo', 'Heerlen', 'Sittard-Geleen', 'Roermond', 'Weert']],
  ['Fryslân', 0.65, ['Leeuwarden', 'Súdwest-Fryslân', 'Smallingerland', 'Heerenveen', 'De Fryske Marren']],
  ['Groningen', 0.59, ['Groningen', 'Midden-Groningen', 'Oldambt', 'Het Hogeland']],
  ['Drenthe', 0.5, ['Assen', 'Emmen', 'Hoogeveen', 'Meppel']],
  ['Flevoland', 0.43, ['Almere', 'Lelystad', 'Dronten', 'Noordoostpolder']],
  ['Zeeland', 0.39, ['Middelburg', 'Vlissingen', 'Goes', 'Terneuzen']],
];

const SURNAMES = [
  'de Vries',
  'Jansen',
  'Bakker',
  'Visser',
  'Smit',
  'Meijer',
  'de Boer',
  'Mulder',
  'de Groot',
  'Bos',
  'Vos',
  'Peters',
  'Hendriks',
  'van Leeuwen',
  'Dekker',
  'Brouwer',
  'de Wit',
  'Dijkstra',
  'Smits',
  'de Graaf',
  'van der Meer',
  'Kok',
  'Jacobs',
  'de Haan',
  'Vermeulen',
];

function money(value: number): string {
  return value.toFixed(2).replace(/\.00$/, '');
}

/** "Muziekschool Súdwest-Fryslân 2" → "muziekschool-sudwest-fryslan-2", for a demo address. */
function slug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export function generateDemoFrame(options: { orgs?: number; seed?: number } = {}): FrameRow[] {
  const count = options.orgs ?? 400;
  const random = new Random(options.seed ?? 2020);
  const rows: FrameRow[] = [];
  const names = new Set<string>();
  const typeWeights = DEMO_TYPES.map((t) => [t, t.share] as const);
  const provinceWeights = DEMO_PROVINCES.map((p) => [p, p[1]] as const);
  const width = Math.max(4, String(count).length);
  for (let i = 1; i <= count; i++) {
    const profile = random.weighted(typeWeights);
    const [province, , municipalities] = random.weighted(provinceWeights);
    const municipality = random.pick(municipalities);
    const students = Math.max(5, Math.round(random.logNormal(profile.medianStudents, profile.spread)));
    const turnover = students * profile.turnoverPerStudent * random.logNormal(1, 0.15);
    const subsidised = profile.subsidyShare > 0;
    const subsidy = subsidised
      ? turnover * Math.min(0.85, Math.max(0.05, profile.subsidyShare * random.logNormal(1, 0.2)))
      : 0;
    const fte = turnover / 72000;
    const base =
      profile.type === 'particuliere aanbieder'
        ? `${random.pick(profile.namePrefixes)} ${random.pick(SURNAMES)}`
        : `${random.pick(profile.namePrefixes)} ${municipality}`;
    let name = base;
    for (let n = 2; names.has(name); n++) name = `${base} ${n}`;
    names.add(name);
    rows.push({
      org_id: `KANS-${String(i).padStart(width, '0')}`,
      name,
      org_type: profile.type,
      province,
      municipality,
      member: random.chance(profile.memberChance),
      students,
      turnover_eur: money(Math.round(turnover)),
      subsidy_eur: money(Math.round(subsidy)),
      fte: String(Math.round(fte * 10) / 10),
      teachers_employed: subsidised ? Math.max(1, Math.round(fte * random.uniform(0.8, 1.3))) : 0,
      teachers_freelance: Math.round((students / 60) * random.uniform(0.2, 1)),
      size_class: sizeClass(students),
      // Every twentieth organisation has no address, so the demo shows who cannot be reached.
      email: i % 20 === 0 ? null : `info@${slug(name)}.example.nl`,
      contact_name: i % 20 === 0 ? null : 'Secretariaat',
    });
  }
  return rows;
}

const CSV_HEADER = [
  'kans_id',
  'naam',
  'type',
  'provincie',
  'gemeente',
  'lid',
  'leerlingen',
  'omzet',
  'subsidie',
  'fte',
  'docenten_loondienst',
  'docenten_zzp',
  'e-mail',
  'contactpersoon',
];

function csvCell(value: string): string {
  return /[;"\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The frame as a KAnS-style CSV with Dutch headers, `;` and decimal commas, as Excel writes it. */
export function* demoFrameCsv(rows: Iterable<FrameRow>): Generator<string> {
  yield `${CSV_HEADER.join(';')}\n`;
  for (const r of rows) {
    yield `${[
      r.org_id,
      r.name,
      r.org_type,
      r.province,
      r.municipality ?? '',
      r.member ? 'ja' : 'nee',
      r.students ?? '',
      (r.turnover_eur ?? '').replace('.', ','),
      (r.subsidy_eur ?? '').replace('.', ','),
      (r.fte ?? '').replace('.', ','),
      r.teachers_employed ?? '',
      r.teachers_freelance ?? '',
      r.email ?? '',
      r.contact_name ?? '',
    ]
      .map((v) => csvCell(String(v)))
      .join(';')}\n`;
  }
}
