// The staff home as a dashboard: the open waves with their response against the
// frame, days to closing and what was mailed; the last publications and releases;
// shortcuts. loadStaffDashboard gathers, buildStaffDashboard (pure) shapes.
import type { Kysely } from 'kysely';
import type { Database } from '../foundation/db/schema';
import { accountsByRole, mailCountsOfWaves, type WaveMailCounts } from '../surveys/dashboard-repository';
import { type ResponseCell, responseTotal } from '../surveys/waves/monitoring';
import { listWaves, type WaveListRow } from '../surveys/waves/waves-repository';
import { listPublications } from './publications';
import { listReleases, type ReleaseEntry } from './release-log';

type Db = Kysely<Database>;

const DAY_MS = 86_400_000;

/** The calendar day (days since 1970-01-01) of an instant in Dutch time. */
function dutchDay(instant: Date): number {
  const [y, m, d] = instant.toLocaleDateString('en-CA', { timeZone: 'Europe/Amsterdam' }).split('-').map(Number);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

/**
 * Calendar days (in Dutch time) from now to the closing date: 0 when it closes
 * today, negative when the date has passed, null without a closing date.
 */
export function daysToClosing(closesAt: Date | null, now: Date): number | null {
  if (!closesAt) return null;
  return dutchDay(closesAt) - dutchDay(now);
}

/** The response rate against the frame (0 without a frame), never above 1. */
export function responseRate(submitted: number, frameSize: number): number {
  if (frameSize <= 0) return 0;
  return Math.min(1, submitted / frameSize);
}

export interface DashboardWave {
  slug: string;
  name: string;
  frameYear: number;
  N: number;
  submitted: number;
  drafts: number;
  rate: number;
  /** The rate rounded to 5 % for the bar's width class. */
  barStep: number;
  closesAt: Date | null;
  daysLeft: number | null;
  closing: 'none' | 'past' | 'today' | 'soon' | 'later';
  invitations: number;
  reminders: number;
  lastReminderAt: Date | null;
  queued: number;
  failed: number;
}

export interface DashboardPublication {
  slug: string;
  title: string;
  version: number;
  wave: string | null;
  publishedAt: Date;
  provisional: boolean;
}

export interface StaffDashboard {
  openWaves: DashboardWave[];
  preparedWaves: { slug: string; name: string }[];
  closedWaves: number;
  publications: DashboardPublication[];
  releases: ReleaseEntry[];
  accounts: Record<'admin' | 'staff' | 'member', number>;
}

export interface DashboardInput {
  waves: WaveListRow[];
  totals: Map<number, ResponseCell>;
  mail: WaveMailCounts[];
  publications: {
    slug: string;
    title: string;
    version: number;
    wave_slug: string | null;
    published_at: Date;
    provisional: boolean;
    withdrawn_at: Date | null;
  }[];
  releases: ReleaseEntry[];
  accounts: Record<string, number>;
}

/** Closing within this many days is "soon" (shown with emphasis). */
export const CLOSING_SOON_DAYS = 7;
export const DASHBOARD_LIST_LENGTH = 5;

export function buildStaffDashboard(input: DashboardInput, now: Date): StaffDashboard {
  const open = input.waves.filter((w) => w.status === 'open');
  const openWaves = open.map((w): DashboardWave => {
    const total = input.totals.get(w.id) ?? { group: '*', N: 0, submitted: 0, drafts: 0, rate: 0 };
    const mail = input.mail.find((m) => m.wave_id === w.id);
    const rate = responseRate(total.submitted, total.N);
    const daysLeft = daysToClosing(w.closes_at, now);
    const closing =
      daysLeft === null
        ? 'none'
        : daysLeft < 0
          ? 'past'
          : daysLeft === 0
            ? 'today'
            : daysLeft <= CLOSING_SOON_DAYS
              ? 'soon'
              : 'later';
    return {
      slug: w.slug,
      name: w.name,
      frameYear: w.frame_year,
      N: total.N,
      submitted: total.submitted,
      drafts: total.drafts,
      rate,
      barStep: Math.round(rate * 20) * 5,
      closesAt: w.closes_at,
      daysLeft,
      closing,
      invitations: mail?.invitations ?? 0,
      reminders: mail?.reminders ?? 0,
      lastReminderAt: mail?.last_reminder_at ?? null,
      queued: mail?.queued ?? 0,
      failed: mail?.failed ?? 0,
    };
  });
  // The wave that closes first comes first; waves without a closing date last.
  openWaves.sort(
    (a, b) =>
      (a.closesAt?.getTime() ?? Number.POSITIVE_INFINITY) - (b.closesAt?.getTime() ?? Number.POSITIVE_INFINITY) ||
      a.name.localeCompare(b.name, 'nl'),
  );
  return {
    openWaves,
    preparedWaves: input.waves.filter((w) => w.status === 'draft').map((w) => ({ slug: w.slug, name: w.name })),
    closedWaves: input.waves.filter((w) => w.status === 'closed').length,
    publications: input.publications
      .filter((p) => !p.withdrawn_at)
      .slice(0, DASHBOARD_LIST_LENGTH)
      .map((p) => ({
        slug: p.slug,
        title: p.title,
        version: p.version,
        wave: p.wave_slug,
        publishedAt: p.published_at,
        provisional: p.provisional,
      })),
    releases: input.releases.slice(0, DASHBOARD_LIST_LENGTH),
    accounts: {
      admin: input.accounts.admin ?? 0,
      staff: input.accounts.staff ?? 0,
      member: input.accounts.member ?? 0,
    },
  };
}

/** Everything the staff home shows, read with a few queries. */
export async function loadStaffDashboard(db: Db, now = new Date()): Promise<StaffDashboard> {
  const [waves, publications, releases, accounts] = await Promise.all([
    listWaves(db),
    listPublications(db),
    listReleases(db, { limit: DASHBOARD_LIST_LENGTH }),
    accountsByRole(db),
  ]);
  const open = waves.filter((w) => w.status === 'open');
  const [totals, mail] = await Promise.all([
    Promise.all(open.map(async (w) => [w.id, await responseTotal(db, w)] as const)),
    mailCountsOfWaves(
      db,
      open.map((w) => w.id),
    ),
  ]);
  return buildStaffDashboard({ waves, totals: new Map(totals), mail, publications, releases, accounts }, now);
}
