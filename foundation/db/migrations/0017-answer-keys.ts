import { type Kysely, sql } from 'kysely';

// Noise that follows the answer (issue 22.2, README "Protection"). Every answer gets
// a secret answer key, 0 ≤ key < 2^32: the first 32 bits of
//   sha256(response record key | question key | the stored value, canonical)
// so an unchanged answer keeps its key (a reopen and resubmit without change
// leaves every published cell as it was) and a corrected answer gets a new,
// unrelated one (two versions of a publication differ by two independent
// noises, not by the exact change). The report's cell keys sum answer keys.
// A trigger computes it on every insert and update of an answer, whatever path
// writes it (form, autosave, import, staff correction, a script), from the
// response's record key, which never leaves the database.
//
// impactmonitor_key(record key, label, value) is the one derivation, also used for
// the frame's census figures (organisation record key | measure | value).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function impactmonitor_key(record_key bigint, label text, value text) returns bigint
    language sql immutable parallel safe as $$
      select ('x' || substr(encode(sha256(convert_to(record_key::text || '|' || label || '|' || coalesce(value, ''), 'UTF8')), 'hex'), 1, 8))::bit(32)::bigint
    $$`.execute(db);
  // The stored value as one text, the same for the same answer however it was written
  // (12500, 12500.00 and 12500.0 are one number; the order of chosen options does not count).
  await sql`
    create function impactmonitor_answer_value(hidden boolean, value_num numeric, value_text text,
      value_bool boolean, value_choices text[]) returns text
    language sql immutable parallel safe as $$
      select concat('h:', hidden::text, '|n:', trim_scale(value_num)::text, '|t:', value_text,
        '|b:', value_bool::text, '|c:', (select string_agg(c, ',' order by c) from unnest(value_choices) c))
    $$`.execute(db);
  await db.schema.alterTable('answers').addColumn('answer_key', 'bigint').execute();
  await sql`
    update answers a set answer_key = impactmonitor_key(r.record_key, a.question_key,
      impactmonitor_answer_value(a.hidden, a.value_num, a.value_text, a.value_bool, a.value_choices))
    from responses r where r.id = a.response_id`.execute(db);
  await sql`alter table answers alter column answer_key set not null`.execute(db);
  await sql`
    create function impactmonitor_set_answer_key() returns trigger language plpgsql as $$
    begin
      new.answer_key := impactmonitor_key(
        (select r.record_key from responses r where r.id = new.response_id), new.question_key,
        impactmonitor_answer_value(new.hidden, new.value_num, new.value_text, new.value_bool, new.value_choices));
      return new;
    end $$`.execute(db);
  await sql`
    create trigger answers_answer_key before insert or update on answers
    for each row execute function impactmonitor_set_answer_key()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists answers_answer_key on answers`.execute(db);
  await sql`drop function if exists impactmonitor_set_answer_key()`.execute(db);
  await db.schema.alterTable('answers').dropColumn('answer_key').execute();
  await sql`drop function if exists impactmonitor_answer_value(boolean, numeric, text, boolean, text[])`.execute(db);
  await sql`drop function if exists impactmonitor_key(bigint, text, text)`.execute(db);
}
