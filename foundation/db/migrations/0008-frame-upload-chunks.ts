import { type Kysely, sql } from 'kysely';

// An uploaded frame file is streamed into frame_upload_chunks (about 1 MB a row)
// as it arrives, instead of one bytea value built in memory: memory stays flat and
// no single statement holds the database (on PGlite: the event loop) for long.
// The preview summary is computed once at upload into frame_uploads.summary (0007).
// Pending uploads are short-lived (a day at most), so those from before this
// migration are dropped; they must be uploaded again.
export async function up(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('frame_uploads').execute();
  await db.schema.alterTable('frame_uploads').dropColumn('content').execute();
  await db.schema
    .createTable('frame_upload_chunks')
    .addColumn('upload_id', 'integer', (c) => c.notNull().references('frame_uploads.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('frame_upload_chunks_pk', ['upload_id', 'seq'])
    .execute();
  await db.schema.createIndex('frame_uploads_created').on('frame_uploads').column('created_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('frame_uploads_created').ifExists().execute();
  await db.schema.dropTable('frame_upload_chunks').ifExists().execute();
  await db.deleteFrom('frame_uploads').execute();
  await db.schema
    .alterTable('frame_uploads')
    .addColumn('content', 'bytea', (c) => c.notNull().defaultTo(sql`''::bytea`))
    .execute();
}
