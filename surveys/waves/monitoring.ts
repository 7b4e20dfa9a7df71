// Response monitoring for staff: response per type, size class and province
// (N, n, rate), drafts versus submitted, and who has not responded yet. The
// queries are in monitoring-repository.ts; this module adds the rates and
// the paging.
import type { Kysely } from 'kysely';
import { parseVariables } from '../../analysis/report/report-model';
import { type ReminderGroup, type RIndicator, reminderPriorities, rIndicator } from '../../analysis/representativeness';
import type { Database } from '../../foundation/db/schema';
import { compareSizeClasses } from '../../register/frame-columns';
import {
  countNonResponders,
  findNonResponders,
  type NonResponder,
  propensityCounts,
  type ResponseCount,
  responseCounts,
  submittedOrganisations,
  submittedOutsideFrame,
} from './monitoring-repository';
import type { WaveRow } from './waves-repository';

export type { NonResponder };
export { submittedOrganisations };

type Db = Kysely<Database>;

export interface ResponseCell {
  group: string;
  N: number;
  submitted: number;
  drafts: number;
  rate: number;
}

export interface ResponseOverview {
  total: ResponseCell;
  byType: ResponseCell[];
  bySize: ResponseCell[];
  byProvince: ResponseCell[];
  outsideFrame: number;
}

const NO_RESPONSE: ResponseCell = { group: '*', N: 0, submitted: 0, drafts: 0, rate: 0 };

/** A group's counts with its response rate (0 for an empty group). */
export function withRate(count: ResponseCount): ResponseCell {
  return { ...count, rate: count.N ? count.submitted / count.N : 0 };
}

async function cells(
  db: Db,
  wave: WaveRow,
  column: 'org_type' | 'size_class' | 'province' | null,
): Promise<ResponseCell[]> {
  const rows = (await responseCounts(db, wave, column)).map(withRate);
  // Size classes in their natural order, not as text ("1000-2499" before "250-999").
  if (column === 'size_class') rows.sort((a, b) => compareSizeClasses(a.group, b.group));
  return rows;
}

/** A wave's response overall: N in its frame, submitted, drafts and the rate (what the monitor's first line says). */
export async function responseTotal(db: Db, wave: WaveRow): Promise<ResponseCell> {
  const [total] = await cells(db, wave, null);
  return total ?? { ...NO_RESPONSE };
}

export async function responseOverview(db: Db, wave: WaveRow): Promise<ResponseOverview> {
  const [total, byType, bySize, byProvince, outsideFrame] = await Promise.all([
    cells(db, wave, null),
    cells(db, wave, 'org_type'),
    cells(db, wave, 'size_class'),
    cells(db, wave, 'province'),
    submittedOutsideFrame(db, wave),
  ]);
  return { total: total[0] ?? { ...NO_RESPONSE }, byType, bySize, byProvince, outsideFrame };
}

/** Organisations in the wave's frame without a submitted response, with their addresses and last mail. */
export async function nonResponders(db: Db, wave: WaveRow): Promise<NonResponder[]> {
  return findNonResponders(db, wave, '');
}

export const NONRESPONDERS_PER_PAGE = 50;

/** One page of the non-responders matching a search (name, KAnS id, type or province), and how many match. */
export async function nonRespondersPage(
  db: Db,
  wave: WaveRow,
  options: { search: string; page: number },
): Promise<{ rows: NonResponder[]; total: number; page: number; pages: number }> {
  const total = await countNonResponders(db, wave, options.search);
  const pages = Math.max(1, Math.ceil(total / NONRESPONDERS_PER_PAGE));
  const page = Math.min(Math.max(1, Math.floor(options.page) || 1), pages);
  const rows = await findNonResponders(db, wave, options.search, {
    offset: (page - 1) * NONRESPONDERS_PER_PAGE,
    limit: NONRESPONDERS_PER_PAGE,
  });
  return { rows, total, page, pages };
}

/** How many groups the monitor names to remind first. */
export const REMIND_FIRST_GROUPS = 3;

export interface Representativeness {
  r: RIndicator | null;
  /** Groups (type × province) ranked by what one more response from them brings; the first few are named. */
  ranking: ReminderGroup[];
  first: ReminderGroup[];
  /** Whether each named group responds below the whole (the sentence says "het laagst"). */
  lowest: boolean;
  /** The non-responders of the named groups, with their contacts: whom the reminder form sends to. */
  remind: NonResponder[];
}

/** The R-indicator of the response so far and, during fieldwork, whom to remind first. */
export async function responseRepresentativeness(db: Db, wave: WaveRow): Promise<Representativeness> {
  const groups = await propensityCounts(db, wave, parseVariables(wave.weighting, ['org_type']));
  const r = rIndicator(groups);
  const ranking = wave.status === 'open' && r ? reminderPriorities(groups) : [];
  const first = ranking.filter((g) => g.score > 0).slice(0, REMIND_FIRST_GROUPS);
  const chosen = new Set(first.map((g) => JSON.stringify([g.org_type, g.province])));
  const remind = first.length
    ? (await nonResponders(db, wave)).filter((o) => chosen.has(JSON.stringify([o.org_type, o.province])))
    : [];
  const rate = r ? r.mean : 0;
  return { r, ranking, first, lowest: first.every((g) => g.rate < rate), remind };
}

/** "particulier in Zeeland en Drenthe, muziekschool in Limburg": the named groups, by type. */
export function groupWords(groups: readonly ReminderGroup[], and: string): string {
  const byType = new Map<string, string[]>();
  for (const g of groups) byType.set(g.org_type, [...(byType.get(g.org_type) ?? []), g.province]);
  const join = (items: string[]) =>
    items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;
  return [...byType.entries()].map(([type, provinces]) => `${type} in ${join(provinces)}`).join('; ');
}
