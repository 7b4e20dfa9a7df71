import { type Kysely, sql } from 'kysely';

// The population frame: organisations keep their identity (org_id) across years;
// frame_units holds one row per organisation per reference year with its KAnS
// figures; frame_imports is the history of every import.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('organisations')
    .addColumn('org_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('first_year', 'integer', (c) => c.notNull())
    .addColumn('last_year', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('frame_imports')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('imported_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('imported_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('checksum', 'text', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('members', 'integer', (c) => c.notNull())
    .addColumn('replaced', 'boolean', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('frame_units')
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.org_id'))
    .addColumn('import_id', 'integer', (c) => c.notNull().references('frame_imports.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('org_type', 'text', (c) => c.notNull())
    .addColumn('province', 'text', (c) => c.notNull())
    .addColumn('municipality', 'text')
    .addColumn('member', 'boolean', (c) => c.notNull())
    .addColumn('students', 'integer')
    .addColumn('turnover_eur', 'numeric(16, 2)')
    .addColumn('subsidy_eur', 'numeric(16, 2)')
    .addColumn('fte', 'numeric(12, 2)')
    .addColumn('teachers_employed', 'integer')
    .addColumn('teachers_freelance', 'integer')
    .addColumn('size_class', 'text')
    .addPrimaryKeyConstraint('frame_units_pk', ['year', 'org_id'])
    .execute();
  // An uploaded file waiting for confirmation after its preview. Kept in the
  // database (not on one instance's disk) so any instance can finish the import.
  await db.schema
    .createTable('frame_uploads')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('replace', 'boolean', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('checksum', 'text', (c) => c.notNull())
    .addColumn('content', 'bytea', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('frame_units_year_type').on('frame_units').columns(['year', 'org_type']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('frame_uploads').ifExists().execute();
  await db.schema.dropTable('frame_units').ifExists().execute();
  await db.schema.dropTable('frame_imports').ifExists().execute();
  await db.schema.dropTable('organisations').ifExists().execute();
}
