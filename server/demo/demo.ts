// Demo data: a realistic synthetic branch with accounts to try every role.
// Used by `impactmonitor demo` and `npm run demo`.
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { createAccount } from '../accounts/accounts';
import { findUserByEmail } from '../accounts/users-repository';
import { demoFrameCsv, generateDemoFrame } from '../../analysis/frame/demo-frame';
import { importFrame } from '../../analysis/frame/frame-import';
import { yearExists } from '../../analysis/frame/frame-repository';

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
    super(`Deze database heeft al een populatie voor ${DEMO_YEAR}; de demo vult alleen een lege database. Gebruik een andere IMPACT_DATA_DIR.`);
  }
}

export async function demoIsLoaded(db: Kysely<Database>): Promise<boolean> {
  return Boolean(await findUserByEmail(db, 'beheer@demo.impactmonitor.nl'));
}

export async function fillDemo(db: Kysely<Database>, options: { orgs?: number; seed?: number } = {}): Promise<DemoAccount[]> {
  if (await yearExists(db, DEMO_YEAR)) throw new DemoNotEmptyError();
  const rows = generateDemoFrame({ orgs: options.orgs ?? 400, seed: options.seed ?? 2020 });
  const csv = Buffer.from([...demoFrameCsv(rows)].join(''));
  await importFrame(db, { open: () => Readable.from([csv]), fileName: `demo-kans-${DEMO_YEAR}.csv`, year: DEMO_YEAR, replace: false, actor: null, source: 'demo' });

  const members = rows.filter((r) => r.member);
  const pick = (type: string) => members.find((r) => r.org_type === type) ?? members[0];
  const accounts: DemoAccount[] = [
    { email: 'beheer@demo.impactmonitor.nl', role: 'admin', org: null, description: 'beheerder' },
    { email: 'beleid@demo.impactmonitor.nl', role: 'staff', org: null, description: 'beleidsmedewerker' },
  ];
  for (const [i, type] of ['centrum voor de kunsten', 'muziekschool', 'particuliere aanbieder'].entries()) {
    const org = pick(type);
    accounts.push({ email: `lid${i + 1}@demo.impactmonitor.nl`, role: 'member', org: org.org_id, description: `${org.name} (${type})` });
  }
  for (const account of accounts) {
    if (await findUserByEmail(db, account.email)) continue;
    await createAccount(db, { email: account.email, role: account.role, orgId: account.org, name: account.description, password: DEMO_PASSWORD }, null);
  }
  return accounts;
}

export function describeAccounts(accounts: DemoAccount[]): string {
  const lines = [`Demo-accounts (wachtwoord voor allemaal: ${DEMO_PASSWORD}):`];
  for (const a of accounts) lines.push(`  ${a.email.padEnd(32)} ${a.role.padEnd(7)} ${a.description}${a.org ? ` [${a.org}]` : ''}`);
  return lines.join('\n') + '\n';
}

export async function demoAccounts(db: Kysely<Database>): Promise<DemoAccount[]> {
  const users = await db.selectFrom('users').select(['email', 'role', 'org_id', 'name']).where('email', 'like', '%@demo.impactmonitor.nl').orderBy('id').execute();
  return users.map((u) => ({ email: u.email, role: u.role, org: u.org_id, description: u.name }));
}
