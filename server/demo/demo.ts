// Demo data: a realistic synthetic branch with accounts to try every role.
// Used by `impactmonitor demo` and `npm run demo`.

import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { createAccount } from '../../accounts/accounts';
import { findUserByEmail, listUsersByEmailSuffix } from '../../accounts/users-repository';
import { buildReport } from '../../analysis/report/report';
import { publishBranch } from '../../exports/branch-publications';
import { publishReport } from '../../exports/publications';
import type { DatabaseHandle } from '../../foundation/db/database';
import type { Database } from '../../foundation/db/schema';
import { refreshStatistics } from '../../foundation/db/statistics';
import { amsterdamInstant, endOfAmsterdamDay } from '../../foundation/numbers/amsterdam-time';
import { demoFrameCsv, generateDemoFrame } from '../../register/demo-frame';
import { importFrame } from '../../register/frame-import';
import { yearExists } from '../../register/frame-repository';
import { consentedTexts, reviewText } from '../../surveys/best-practices';
import { loadDefinition, parseDefinitionText } from '../../surveys/definitions';
import { waveWithDefinition } from '../../surveys/responses/responses';
import { changeWaveStatus, createWave } from '../../surveys/waves/waves';
import { fillDemoResponses } from './demo-responses';

const definitionFile = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../surveys/definitions/corona-impact.json',
);

export const DEMO_YEAR = 2019;
export const DEMO_PASSWORD = 'demo-wachtwoord';

export interface DemoAccount {
  email: string;
  role: 'admin' | 'staff' | 'member';
  org: string | null;
  description: string;
}

export class DemoNotEmptyError extends Error {
  constructor() {
    super(
      `Deze database heeft al een populatie voor ${DEMO_YEAR}; de demo vult alleen een lege database. Gebruik een andere IMPACT_DATA_DIR.`,
    );
  }
}

export async function demoIsLoaded(db: Kysely<Database>): Promise<boolean> {
  return Boolean(await findUserByEmail(db, 'beheer@demo.impactmonitor.nl'));
}

export async function fillDemo(
  handle: DatabaseHandle,
  options: { orgs?: number; seed?: number } = {},
): Promise<DemoAccount[]> {
  const db = handle.db;
  if (await yearExists(db, DEMO_YEAR)) throw new DemoNotEmptyError();
  const rows = generateDemoFrame({ orgs: options.orgs ?? 400, seed: options.seed ?? 2020 });
  const csv = Buffer.from([...demoFrameCsv(rows)].join(''));
  await importFrame(handle, {
    open: () => Readable.from([csv]),
    fileName: `demo-kans-${DEMO_YEAR}.csv`,
    year: DEMO_YEAR,
    replace: false,
    actor: null,
    source: 'demo',
  });

  const members = rows.filter((r) => r.member);
  const pick = (type: string) => members.find((r) => r.org_type === type) ?? members[0];
  const accounts: DemoAccount[] = [
    { email: 'beheer@demo.impactmonitor.nl', role: 'admin', org: null, description: 'beheerder' },
    { email: 'beleid@demo.impactmonitor.nl', role: 'staff', org: null, description: 'beleidsmedewerker' },
  ];
  for (const [i, type] of ['centrum voor de kunsten', 'muziekschool', 'particuliere aanbieder'].entries()) {
    const org = pick(type);
    accounts.push({
      email: `lid${i + 1}@demo.impactmonitor.nl`,
      role: 'member',
      org: org.org_id,
      description: `${org.name} (${type})`,
    });
  }
  for (const account of accounts) {
    if (await findUserByEmail(db, account.email)) continue;
    await createAccount(
      db,
      {
        email: account.email,
        role: account.role,
        orgId: account.org,
        name: account.description,
        password: DEMO_PASSWORD,
      },
      null,
    );
  }
  await fillDemoSurveys(
    db,
    rows,
    options.seed ?? 2020,
    accounts.filter((a) => a.org).map((a) => a.org!),
  );
  return accounts;
}

/** The shipped questionnaire, a closed wave (April 2020) and an open one, with answers. */
async function fillDemoSurveys(
  db: Kysely<Database>,
  rows: ReturnType<typeof generateDemoFrame>,
  seed: number,
  demoOrgs: string[],
) {
  await loadDefinition(db, parseDefinitionText(fs.readFileSync(definitionFile, 'utf8')), null);
  await createWave(
    db,
    {
      surveyKey: 'corona-impact',
      slug: 'corona-2020-04',
      name: 'Coronamonitor april 2020',
      frameYear: DEMO_YEAR,
      opensAt: amsterdamInstant('2020-04-01'),
      closesAt: endOfAmsterdamDay('2020-04-30'),
      periodStart: '2020-03-16',
      periodEnd: '2020-04-30',
    },
    null,
  );
  await fillDemoResponses(db, {
    slug: 'corona-2020-04',
    frame: rows,
    seed: seed + 1,
    phase: 'lockdown',
    rate: 0.45,
    submitted: { from: new Date('2020-04-01T09:00:00+02:00'), to: new Date('2020-04-30T17:00:00+02:00') },
  });
  await changeWaveStatus(db, 'corona-2020-04', 'closed', null);
  await createWave(
    db,
    {
      surveyKey: 'corona-impact',
      slug: 'corona-2020-06',
      name: 'Coronamonitor juni 2020',
      frameYear: DEMO_YEAR,
      periodStart: '2020-05-01',
      periodEnd: '2020-05-31',
      // Calibrated to the frame's provinces and size classes (README "Calibration").
      calibrate: 'province,size_class',
    },
    null,
  );
  await changeWaveStatus(db, 'corona-2020-06', 'open', null);
  // The demo members' own organisations are left open, so they can try the form.
  await fillDemoResponses(db, {
    slug: 'corona-2020-06',
    frame: rows,
    seed: seed + 2,
    phase: 'reopening',
    rate: 0.4,
    skip: demoOrgs,
    submitted: { from: new Date('2020-06-01T09:00:00+02:00'), to: new Date('2020-06-19T17:00:00+02:00') },
  });
  // A finished report, published at /resultaten/coronamonitor-april-2020, and approved good examples.
  const staff = (await findUserByEmail(db, 'beleid@demo.impactmonitor.nl'))!;
  await refreshStatistics(db);
  const report = await buildReport(db, { wave: 'corona-2020-04', by: 'province' });
  const definition = (await waveWithDefinition(db, 'corona-2020-04'))!.definition;
  await publishReport(db, {
    slug: 'coronamonitor-april-2020',
    title: 'Coronamonitor april 2020: schade voor de kunsteducatie',
    report,
    definition,
    locale: 'nl',
    actor: staff,
  });
  // And the branch in figures of the demo's frame year, on the same results page.
  await publishBranch(db, DEMO_YEAR, staff, 'nl');
  for (const text of (await consentedTexts(db)).slice(0, 3))
    await reviewText(db, { responseId: text.response_id, questionKey: text.question_key, approve: true, actor: staff });
}

export function describeAccounts(accounts: DemoAccount[]): string {
  const lines = [`Demo-accounts (wachtwoord voor allemaal: ${DEMO_PASSWORD}):`];
  for (const a of accounts)
    lines.push(`  ${a.email.padEnd(32)} ${a.role.padEnd(7)} ${a.description}${a.org ? ` [${a.org}]` : ''}`);
  return `${lines.join('\n')}\n`;
}

export async function demoAccounts(db: Kysely<Database>): Promise<DemoAccount[]> {
  const users = await listUsersByEmailSuffix(db, '@demo.impactmonitor.nl');
  return users.map((u) => ({ email: u.email, role: u.role, org: u.org_id, description: u.name }));
}
