// Realistic synthetic answers for the demo waves, consistent with each
// organisation's KAnS figures. They go through the real responses import, so
// they are validated exactly like answers typed in the form.
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { toCsv } from '../../foundation/csv/csv';
import type { Database } from '../../foundation/db/schema';
import type { FrameRow } from '../../register/frame-reader';
import { Random } from '../../register/random';
import { waveWithDefinition } from '../../surveys/responses/responses';
import { importResponses } from '../../surveys/responses/responses-import';
import { dateDemoSubmissions } from './demo-repository';

const COLUMNS = [
  'org_id',
  'revenue_loss_eur',
  'extra_costs_eur',
  'liquidity_months',
  'lessons_cancelled_pct',
  'online_lessons',
  'online_share_pct',
  'students_quit',
  'refund_policy',
  'refund_amount_eur',
  'schemes',
  'now_employees',
  'staff_reduction_fte',
  'freelance_teachers_affected',
  'closure_risk',
  'biggest_need',
  'share_best_practice',
  'best_practice',
  'best_practice_consent',
  'remarks',
];

const PRACTICES = [
  "Onze docenten gaven de lessen via een videoverbinding met twee camera's: één op het gezicht en één op de handen. Vooral pianoleerlingen vonden dat prettig.",
  "We maakten korte instructievideo's die leerlingen in hun eigen tempo konden bekijken, met elke week een live moment voor vragen.",
  'Voor de jongste leerlingen stuurden we een pakketje met materiaal naar huis, zodat de online les meteen met iets in handen kon beginnen.',
  'Het orkest repeteerde in kleine groepen online, en we monteerden de opnames samen tot één uitvoering voor de ouders.',
];

/** The answers of one organisation, shaped by its size and type, for a wave in lockdown or after reopening. */
function answersFor(org: FrameRow, random: Random, phase: 'lockdown' | 'reopening'): Record<string, string> {
  const monthlyTurnover = Number(org.turnover_eur ?? 0) / 12;
  const lockdown = phase === 'lockdown';
  const subsidised = Number(org.subsidy_eur ?? 0) > 0;
  const privateProvider = org.org_type === 'particuliere aanbieder';
  const lossShare = lockdown ? random.uniform(0.3, 0.85) : random.uniform(0.05, 0.4);
  const online = random.chance(privateProvider ? 0.6 : 0.85);
  const refund = random.weighted<string>([
    ['full', privateProvider ? 1 : 2],
    ['partial', 3],
    ['voucher', 3],
    ['none', privateProvider ? 3 : 1],
  ]);
  const schemes: string[] = [];
  if (subsidised && random.chance(0.7)) schemes.push('NOW');
  if (privateProvider && random.chance(0.6)) schemes.push('TOGS');
  if (random.chance(lockdown ? 0.15 : 0.35)) schemes.push('TVL');
  if (privateProvider && random.chance(0.3)) schemes.push('Tozo');
  if (subsidised && random.chance(0.5)) schemes.push('municipal');
  const share = random.chance(0.2);
  const money = (v: number) => String(Math.round(v));
  return {
    org_id: org.org_id,
    revenue_loss_eur: money(monthlyTurnover * lossShare),
    extra_costs_eur: money(monthlyTurnover * random.uniform(0.005, 0.04)),
    liquidity_months: String(Math.max(0, Math.round(random.logNormal(privateProvider ? 3 : 6, 0.6) * 2) / 2)).replace(
      '.',
      ',',
    ),
    lessons_cancelled_pct: String(Math.round(lockdown ? random.uniform(25, 90) : random.uniform(3, 35))),
    online_lessons: online ? 'ja' : 'nee',
    online_share_pct: online ? String(Math.round(random.uniform(20, 95))) : '',
    students_quit: String(
      Math.round((org.students ?? 0) * (lockdown ? random.uniform(0.01, 0.08) : random.uniform(0.02, 0.12))),
    ),
    refund_policy: refund,
    refund_amount_eur:
      refund === 'full' || refund === 'partial' ? money(monthlyTurnover * random.uniform(0.05, 0.3)) : '',
    schemes: schemes.length ? schemes.join('|') : 'none',
    now_employees: schemes.includes('NOW')
      ? String(Math.max(1, Math.round((org.teachers_employed ?? 1) * random.uniform(0.5, 1))))
      : '',
    staff_reduction_fte: random.chance(0.15)
      ? String(Math.round(Number(org.fte ?? 1) * random.uniform(0.05, 0.2) * 10) / 10).replace('.', ',')
      : '0',
    freelance_teachers_affected: String(
      Math.round((org.teachers_freelance ?? 0) * (lockdown ? random.uniform(0.3, 0.9) : random.uniform(0.1, 0.5))),
    ),
    closure_risk: random.weighted<string>([
      ['none', privateProvider ? 1 : 3],
      ['small', 4],
      ['real', privateProvider ? 3 : 1.5],
      ['large', privateProvider ? 1.5 : 0.5],
    ]),
    biggest_need: random.pick(['liquidity', 'compensation', 'clarity', 'reopening', 'online_support']),
    share_best_practice: share ? 'ja' : 'nee',
    best_practice: share ? random.pick(PRACTICES) : '',
    best_practice_consent: share ? (random.chance(0.7) ? 'ja' : 'nee') : '',
    remarks: random.chance(0.1) ? 'Wij hopen op snelle duidelijkheid over de regels voor groepslessen.' : '',
  };
}

/** Submit answers for a share of the frame's organisations (members answer more often). */
export async function fillDemoResponses(
  db: Kysely<Database>,
  args: {
    slug: string;
    frame: FrameRow[];
    seed: number;
    phase: 'lockdown' | 'reopening';
    rate: number;
    skip?: string[];
    /** When they were submitted, inside the wave's fieldwork; without it, now (as the import stamps them). */
    submitted?: { from: Date; to: Date };
  },
): Promise<number> {
  const random = new Random(args.seed);
  const target = (await waveWithDefinition(db, args.slug))!;
  const chosen = args.frame.filter(
    (org) => !args.skip?.includes(org.org_id) && random.chance(org.member ? args.rate * 1.25 : args.rate * 0.5),
  );
  const rows = chosen.map((org) => {
    const a = answersFor(org, random, args.phase);
    return COLUMNS.map((c) => a[c] ?? '');
  });
  const csv = Buffer.from(toCsv(COLUMNS, rows, 'csv-nl'));
  const result = await importResponses(db, { open: () => Readable.from([csv]), target, dryRun: false, actor: null });
  if (result.errors.length) throw new Error(`demo responses invalid: ${JSON.stringify(result.errors.slice(0, 3))}`);
  if (args.submitted) await dateDemoSubmissions(db, target.wave.id, args.submitted.from, args.submitted.to);
  return result.rows;
}
