import { type Kysely, sql } from 'kysely';

// The branch in figures (issue 13.9) publishes frame totals per type, province and
// size class, protected like survey estimates: every organisation gets a secret
// record key, drawn once, from which the cell keys of those totals are made.
const RANDOM_KEY = sql`('x' || substr(md5(gen_random_uuid()::text), 1, 8))::bit(32)::bigint`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('organisations')
    .addColumn('record_key', 'bigint', (c) => c.notNull().defaultTo(RANDOM_KEY))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organisations').dropColumn('record_key').execute();
}
