// Saved report settings: a named wave, breakdown and question selection staff can open again.
import type { Kysely } from 'kysely';
import type { Database } from '../../foundation/db/schema';

export interface SavedReportSetting {
  name: string;
  wave: string;
  stratify: string[];
  by: string | null;
  questions: string[];
}

export function listReportSettings(db: Kysely<Database>) {
  return db.selectFrom('report_settings').selectAll().orderBy('name').execute();
}

export function findReportSetting(db: Kysely<Database>, id: number) {
  return db.selectFrom('report_settings').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function saveReportSetting(db: Kysely<Database>, setting: SavedReportSetting, userId: number) {
  await db
    .insertInto('report_settings')
    .values({
      name: setting.name,
      wave_slug: setting.wave,
      stratify: setting.stratify.join(','),
      by_variable: setting.by,
      questions: setting.questions.join(',') || null,
      created_by: userId,
    })
    .execute();
}
