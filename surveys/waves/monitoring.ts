// Response monitoring for staff: response per type, size class and province
// (N, n, rate), drafts versus submitted, and who has not responded yet. The
// queries are in monitoring-repository.ts; this module adds the rates and
// the paging.
import type { Kysely } from 'kysely';
import type { Database } from '../../foundation/db/schema';
import { compareSizeClasses } from '../../register/frame-columns';
import {
  countNonResponders,
  findNonResponders,
  type NonResponder,
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
