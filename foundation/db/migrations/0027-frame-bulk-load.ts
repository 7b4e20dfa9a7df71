import { type Kysely, sql } from 'kysely';

// A frame import writes 100 000 frame units and as many contacts in one go. Their
// foreign keys to organisations were checked row by row: one index probe and one
// row lock (a WAL record) per row, more than half of the import's time in the
// database (DESIGN 8: within 5× `psql \copy`). The same rule is now checked once
// per statement, on the rows the statement wrote (transition tables): an org_id
// that is not an organisation is still refused, with the same error code (23503).
// Organisations are never deleted by the application; a delete by hand still
// removes their contacts (as ON DELETE CASCADE did) and is refused while frame
// units refer to them, a changed org_id or a TRUNCATE while anything refers to
// them. Unlike a foreign key this takes no row lock, so a delete running at the
// same moment as an import of the same id is not prevented.
//
// Also: ANALYZE after an import (foundation/db/statistics.ts) keeps no statistics
// of the columns no query filters or groups on (names, municipality, the amounts).

const UNPLANNED_COLUMNS = {
  frame_units: [
    'name',
    'municipality',
    'students',
    'turnover_eur',
    'subsidy_eur',
    'fte',
    'teachers_employed',
    'teachers_freelance',
  ],
  organisations: ['name'],
} as const;

const REFERRING = ['frame_units', 'organisation_contacts'] as const;

async function setStatistics(db: Kysely<any>, target: number): Promise<void> {
  for (const [table, columns] of Object.entries(UNPLANNED_COLUMNS))
    await sql
      .raw(`alter table ${table} ${columns.map((c) => `alter column ${c} set statistics ${target}`).join(', ')}`)
      .execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table frame_units drop constraint frame_units_org_id_fkey`.execute(db);
  await sql`alter table organisation_contacts drop constraint organisation_contacts_org_id_fkey`.execute(db);
  await sql`
    create function impactmonitor_check_org_ids() returns trigger language plpgsql as $$
    declare missing text;
    begin
      select w.org_id into missing from written w
      where not exists (select 1 from organisations o where o.org_id = w.org_id) limit 1;
      if missing is not null then
        raise exception 'insert or update on table "%" violates the reference to "organisations"', tg_table_name
          using errcode = 'foreign_key_violation',
                detail = format('Key (org_id)=(%s) is not present in table "organisations".', missing);
      end if;
      return null;
    end $$`.execute(db);
  for (const table of REFERRING)
    for (const event of ['insert', 'update'])
      await sql
        .raw(
          `create trigger ${table}_org_${event} after ${event} on ${table}
           referencing new table as written for each statement execute function impactmonitor_check_org_ids()`,
        )
        .execute(db);
  // A deleted organisation takes its contacts along (as ON DELETE CASCADE did) and is
  // refused while a frame year refers to it; a changed org_id is refused while
  // anything refers to the old one (as the foreign keys' NO ACTION did).
  await sql`
    create function impactmonitor_organisations_deleted() returns trigger language plpgsql as $$
    declare gone text;
    begin
      delete from organisation_contacts c using removed r where c.org_id = r.org_id;
      select f.org_id into gone from frame_units f join removed r on r.org_id = f.org_id limit 1;
      if gone is not null then
        raise exception 'update or delete on table "organisations" violates the reference from "frame_units"'
          using errcode = 'foreign_key_violation',
                detail = format('Key (org_id)=(%s) is still referenced from table "frame_units".', gone);
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create function impactmonitor_organisations_renamed() returns trigger language plpgsql as $$
    declare gone text;
    begin
      select r.org_id into gone from removed r
      where not exists (select 1 from kept k where k.org_id = r.org_id)
        and (exists (select 1 from frame_units f where f.org_id = r.org_id)
          or exists (select 1 from organisation_contacts c where c.org_id = r.org_id))
      limit 1;
      if gone is not null then
        raise exception 'update on table "organisations" violates the references to it'
          using errcode = 'foreign_key_violation',
                detail = format('Key (org_id)=(%s) is still referenced.', gone);
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger organisations_delete_refs after delete on organisations
    referencing old table as removed for each statement execute function impactmonitor_organisations_deleted()`.execute(
    db,
  );
  await sql`
    create trigger organisations_update_refs after update on organisations
    referencing old table as removed new table as kept
    for each statement execute function impactmonitor_organisations_renamed()`.execute(db);
  // TRUNCATE fires no row triggers: refuse it while frame units or contacts would be left without their organisation.
  await sql`
    create function impactmonitor_organisations_truncated() returns trigger language plpgsql as $$
    begin
      if exists (select 1 from frame_units) or exists (select 1 from organisation_contacts) then
        raise exception 'cannot truncate "organisations" while frame units or contacts refer to it'
          using errcode = 'foreign_key_violation';
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger organisations_truncate_refs before truncate on organisations
    for each statement execute function impactmonitor_organisations_truncated()`.execute(db);
  await setStatistics(db, 0);
}

export async function down(db: Kysely<any>): Promise<void> {
  await setStatistics(db, -1);
  for (const event of ['delete', 'update', 'truncate'])
    await sql.raw(`drop trigger if exists organisations_${event}_refs on organisations`).execute(db);
  for (const name of ['deleted', 'renamed', 'truncated'])
    await sql.raw(`drop function if exists impactmonitor_organisations_${name}()`).execute(db);
  for (const table of REFERRING)
    for (const event of ['insert', 'update'])
      await sql.raw(`drop trigger if exists ${table}_org_${event} on ${table}`).execute(db);
  await sql`drop function if exists impactmonitor_check_org_ids()`.execute(db);
  await sql`alter table frame_units add constraint frame_units_org_id_fkey
    foreign key (org_id) references organisations (org_id)`.execute(db);
  await sql`alter table organisation_contacts add constraint organisation_contacts_org_id_fkey
    foreign key (org_id) references organisations (org_id) on delete cascade`.execute(db);
}
