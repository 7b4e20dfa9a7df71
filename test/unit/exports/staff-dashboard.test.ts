import { describe, expect, it } from 'vitest';
import {
  buildStaffDashboard,
  type DashboardInput,
  daysToClosing,
  responseRate,
} from '../../../exports/staff-dashboard';
import type { WaveListRow } from '../../../surveys/waves/waves-repository';

function wave(id: number, status: WaveListRow['status'], closes: string | null, name = `Meting ${id}`): WaveListRow {
  return {
    id,
    slug: `meting-${id}`,
    name,
    survey_id: 1,
    survey_key: 'corona',
    survey_version: 1,
    survey_title_nl: 'Corona',
    survey_title_en: 'Corona',
    frame_year: 2019,
    opens_at: null,
    closes_at: closes ? new Date(closes) : null,
    status,
    created_at: new Date('2020-01-01T00:00:00Z'),
    weighting: 'org_type',
    period_start: null,
    period_end: null,
    calibration: null,
    calibration_method: 'linear',
    responses: 0,
    submitted: 0,
    population: 400,
  };
}

describe('the staff dashboard model', () => {
  it('counts calendar days to closing in Dutch time', () => {
    const now = new Date('2020-06-20T10:00:00Z'); // 12:00 in Amsterdam
    expect(daysToClosing(null, now)).toBeNull();
    expect(daysToClosing(new Date('2020-06-20T21:59:00Z'), now)).toBe(0); // 23:59 the same day
    expect(daysToClosing(new Date('2020-06-20T22:30:00Z'), now)).toBe(1); // 00:30 the next day in Amsterdam
    expect(daysToClosing(new Date('2020-06-30T21:59:00Z'), now)).toBe(10);
    expect(daysToClosing(new Date('2020-06-19T12:00:00Z'), now)).toBe(-1);
    // Across the switch to winter time a day is still a day.
    expect(daysToClosing(new Date('2020-10-26T10:00:00Z'), new Date('2020-10-24T10:00:00Z'))).toBe(2);
  });

  it('computes the rate against the frame, never dividing by zero', () => {
    expect(responseRate(160, 400)).toBe(0.4);
    expect(responseRate(0, 0)).toBe(0);
    expect(responseRate(5, 4)).toBe(1);
  });

  it('lists the open waves closing first, with response, closing state and mail; live publications only', () => {
    const input: DashboardInput = {
      waves: [
        wave(1, 'closed', '2020-04-30T21:59:00Z', 'April'),
        wave(2, 'open', null, 'Zonder datum'),
        wave(3, 'open', '2020-06-30T21:59:00Z', 'Juni'),
        wave(4, 'open', '2020-06-22T21:59:00Z', 'Bijna dicht'),
        wave(5, 'draft', null, 'September'),
      ],
      totals: new Map([
        [3, { group: '*', N: 400, submitted: 161, drafts: 12, rate: 161 / 400 }],
        [4, { group: '*', N: 0, submitted: 0, drafts: 0, rate: 0 }],
      ]),
      mail: [
        {
          wave_id: 3,
          invitations: 300,
          reminders: 232,
          failed: 1,
          last_reminder_at: new Date('2020-06-15T08:00:00Z'),
          queued: 4,
        },
      ],
      publications: [
        {
          slug: 'a',
          title: 'A',
          version: 2,
          wave_slug: 'meting-1',
          published_at: new Date('2020-05-10T10:00:00Z'),
          provisional: false,
          withdrawn_at: null,
        },
        {
          slug: 'b',
          title: 'B',
          version: 1,
          wave_slug: 'meting-1',
          published_at: new Date('2020-05-09T10:00:00Z'),
          provisional: true,
          withdrawn_at: new Date('2020-05-11T10:00:00Z'),
        },
      ],
      releases: [],
      accounts: { admin: 1, member: 3 },
    };
    const model = buildStaffDashboard(input, new Date('2020-06-20T10:00:00Z'));
    expect(model.openWaves.map((w) => w.name)).toEqual(['Bijna dicht', 'Juni', 'Zonder datum']);
    const [soon, june, none] = model.openWaves;
    expect(soon).toMatchObject({ daysLeft: 2, closing: 'soon', rate: 0, N: 0, invitations: 0, reminders: 0 });
    expect(june).toMatchObject({
      N: 400,
      submitted: 161,
      drafts: 12,
      rate: 0.4025,
      barStep: 40,
      daysLeft: 10,
      closing: 'later',
      invitations: 300,
      reminders: 232,
      queued: 4,
      failed: 1,
    });
    expect(june.lastReminderAt?.toISOString()).toBe('2020-06-15T08:00:00.000Z');
    expect(none).toMatchObject({ daysLeft: null, closing: 'none', N: 0, rate: 0 });
    expect(model.preparedWaves).toEqual([{ slug: 'meting-5', name: 'September' }]);
    expect(model.closedWaves).toBe(1);
    expect(model.publications.map((p) => p.slug)).toEqual(['a']);
    expect(model.accounts).toEqual({ admin: 1, staff: 0, member: 3 });

    const later = buildStaffDashboard(input, new Date('2020-06-23T10:00:00Z'));
    expect(later.openWaves[0]).toMatchObject({ name: 'Bijna dicht', daysLeft: -1, closing: 'past' });
    expect(buildStaffDashboard(input, new Date('2020-06-30T08:00:00Z')).openWaves[1]).toMatchObject({
      name: 'Juni',
      closing: 'today',
    });
  });
});
