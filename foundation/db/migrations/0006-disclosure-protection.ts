import { type Kysely, sql } from 'kysely';

// Disclosure protection (README "Protection"):
//  * every response gets a secret record key once, 0 ≤ key < 2^32, from the
//    database's strong random source (gen_random_uuid), never shown anywhere;
//    the cell-key method derives each published cell's noise from these keys;
//  * a wave has one weighting design (its stratification), so every breakdown of
//    the wave is a domain of one design and the same cell always has the same value;
//  * the member comparison is read from snapshots that change only in batches.
const RANDOM_KEY = sql`('x' || substr(md5(gen_random_uuid()::text), 1, 8))::bit(32)::bigint`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('responses')
    .addColumn('record_key', 'bigint', (c) => c.notNull().defaultTo(RANDOM_KEY))
    .execute();
  await db.schema
    .alterTable('waves')
    .addColumn('weighting', 'text', (c) => c.notNull().defaultTo('org_type'))
    .execute();
  await db.schema
    .createTable('comparison_snapshots')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('wave_id', 'integer', (c) => c.notNull().references('waves.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // How many submitted responses the snapshot was made from.
    .addColumn('submitted', 'integer', (c) => c.notNull())
    // Per question: the comparison group's size band and quartiles (protected).
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('comparison_snapshots_wave')
    .on('comparison_snapshots')
    .columns(['wave_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('comparison_snapshots').ifExists().execute();
  await db.schema.alterTable('waves').dropColumn('weighting').execute();
  await db.schema.alterTable('responses').dropColumn('record_key').execute();
}
