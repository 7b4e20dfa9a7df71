// The representativeness of a wave's response so far, for the response monitor
// (README "Representativeness of the response"): the R-indicator and, during
// fieldwork, the groups whose response would raise it most, with their
// non-responders, whom the reminder form can send to.
import type { Kysely } from 'kysely';
import type { Database } from '../foundation/db/schema';
import { type NonResponder, nonResponders } from '../surveys/waves/monitoring';
import type { WaveRow } from '../surveys/waves/waves-repository';
import { parseVariables } from './report/report-model';
import { type ReminderGroup, type RIndicator, reminderPriorities, rIndicator } from './representativeness';
import { propensityCounts } from './representativeness-repository';

type Db = Kysely<Database>;

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
