// The demo's own writes: the imported responses get submission dates inside the
// wave's fieldwork in 2020 (the import itself stamps them with the moment the demo
// was made, which would show "Ingediend op" a date years after the wave).
import type { Kysely } from 'kysely';
import type { Database } from '../../foundation/db/schema';
import { inTransaction } from '../../foundation/db/transaction';

/**
 * Date the wave's submitted responses between `from` and `to`, most of them early (as
 * after an invitation), in the order they were stored; saved at the same moment.
 */
export async function dateDemoSubmissions(db: Kysely<Database>, waveId: number, from: Date, to: Date): Promise<void> {
  await inTransaction(db, async (trx) => {
    const rows = await trx
      .selectFrom('responses')
      .select('id')
      .where('wave_id', '=', waveId)
      .where('status', '=', 'submitted')
      .orderBy('id')
      .execute();
    const span = to.getTime() - from.getTime();
    for (const [i, row] of rows.entries()) {
      const at = new Date(from.getTime() + span * ((i + 1) / (rows.length + 1)) ** 2);
      await trx
        .updateTable('responses')
        .set({ submitted_at: at, updated_at: at, created_at: at })
        .where('id', '=', row.id)
        .execute();
    }
  });
}
