import type { Kysely } from 'kysely';

// What a version of "De branche in cijfers" was built from: per organisation of the
// frame year its measures (value_num) and its type, province, size class and
// membership (value_text). Republishing the year is audited against them
// (exports/branch-publications.ts), as a wave's publication is against its answers.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('branch_publication_values')
    .addColumn('publication_id', 'integer', (c) => c.notNull().references('branch_publications.id').onDelete('cascade'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('variable', 'text', (c) => c.notNull())
    .addColumn('value_num', 'numeric')
    .addColumn('value_text', 'text')
    .addPrimaryKeyConstraint('branch_publication_values_pk', ['publication_id', 'org_id', 'variable'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('branch_publication_values').ifExists().execute();
}
