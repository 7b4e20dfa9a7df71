// The dialects every integration test runs against, declared once (as Kysely's
// own test setup does): PGlite always, PostgreSQL when TEST_DATABASE_URL is set.
// TEST_DIALECTS=pglite (or postgres) narrows the list.

import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import { type DatabaseHandle, type DatabaseKind, pgliteHandle, postgresHandle } from '../../foundation/db/database';

export interface TestDatabase extends DatabaseHandle {
  /** The connection string, for a CLI process started by the test (PostgreSQL only). */
  url: string | null;
}

export interface TestDialect {
  kind: DatabaseKind;
  /** A fresh, migrated database of its own. */
  create(): Promise<TestDatabase>;
}

function adminUrl(url: string): string {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

async function freshPglite(): Promise<TestDatabase> {
  const tarball = await fs.readFile(inject('pgliteTemplate'));
  const pglite = await PGlite.create({ loadDataDir: new Blob([tarball]) });
  return { ...pgliteHandle(pglite), url: null };
}

async function freshPostgres(): Promise<TestDatabase> {
  const url = process.env.TEST_DATABASE_URL!;
  const template = inject('postgresTemplate');
  if (!template) throw new Error('TEST_DATABASE_URL was set after the run started');
  const name = `impact_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl(url) });
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database ${name} template ${template}`);
        break;
      } catch (error) {
        // Two files copying the template at the same instant can collide; retry.
        if (attempt >= 10) throw error;
        await new Promise((r) => setTimeout(r, 200 + Math.random() * 300));
      }
    }
  } finally {
    await admin.end();
  }
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  const handle = postgresHandle(dbUrl.toString(), 5);
  return {
    ...handle,
    url: dbUrl.toString(),
    close: async () => {
      await handle.close();
      const dropper = new pg.Client({ connectionString: adminUrl(url) });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}

export function testDialects(): TestDialect[] {
  const wanted = (process.env.TEST_DIALECTS ?? 'pglite,postgres').split(',');
  const dialects: TestDialect[] = [];
  if (wanted.includes('pglite')) dialects.push({ kind: 'pglite', create: freshPglite });
  if (wanted.includes('postgres') && process.env.TEST_DATABASE_URL)
    dialects.push({ kind: 'postgres', create: freshPostgres });
  return dialects;
}
