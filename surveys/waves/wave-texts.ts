// Saving a wave's own invitation and reminder texts: checked (surveys/waves/mail-texts.ts),
// stored, and the before and after in the audit log. An empty text restores the standard one.
import type { Kysely } from 'kysely';
import { recordAudit } from '../../foundation/audit/audit-log';
import type { Database, User } from '../../foundation/db/schema';
import { checkMailText, type MailTextError } from './mail-texts';
import { updateWaveTexts, type WaveRow } from './waves-repository';

export type WaveTextErrors = {
  field: 'invitation_text' | 'reminder_text';
  key: string;
  params?: MailTextError['params'];
}[];

/** Check both texts; every problem at its field. */
export function checkWaveTexts(texts: { invitation_text: string; reminder_text: string }): WaveTextErrors {
  const errors: WaveTextErrors = [];
  for (const field of ['invitation_text', 'reminder_text'] as const) {
    const text = texts[field].trim();
    if (text) for (const e of checkMailText(text)) errors.push({ field, ...e });
  }
  return errors;
}

export async function saveWaveTexts(
  db: Kysely<Database>,
  args: { wave: WaveRow; texts: { invitation_text: string; reminder_text: string }; actor: User },
): Promise<WaveTextErrors> {
  const errors = checkWaveTexts(args.texts);
  if (errors.length) return errors;
  const after = {
    invitation_text: args.texts.invitation_text.trim() || null,
    reminder_text: args.texts.reminder_text.trim() || null,
  };
  await db.transaction().execute(async (trx) => {
    await updateWaveTexts(trx, args.wave.id, after);
    await recordAudit(trx, {
      actorUserId: args.actor.id,
      action: 'wave.texts',
      entity: 'wave',
      entityId: args.wave.id,
      details: {
        before: { invitation_text: args.wave.invitation_text ?? null, reminder_text: args.wave.reminder_text ?? null },
        after,
      },
    });
  });
  return [];
}
