// Issue 12 point 11: the hourly clean-up of serve() drops auth attempts older than
// a day, expired sessions and uploads older than a day, and keeps the rest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as repo from '../../register/frame-repository';
import { cleanUp } from '../../server/maintenance';
import { type TestDatabase, testDialects } from '../support/databases';
import { makeUser } from '../support/web-client';

describe.each(testDialects())('clean-up on $kind', (dialect) => {
  let handle: TestDatabase;
  beforeAll(async () => {
    handle = await dialect.create();
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('deletes old attempts, expired sessions and day-old uploads, and keeps the rest', async () => {
    const db = handle.db;
    const now = new Date('2026-11-25T12:00:00Z');
    const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
    const user = await makeUser(handle, 'staff@example.nl', 'staff');
    await db
      .insertInto('auth_attempts')
      .values([
        { kind: 'login', email: 'old@example.nl', ip: '1.2.3.4', at: hoursAgo(25) },
        { kind: 'reset', email: 'old@example.nl', ip: '1.2.3.4', at: hoursAgo(48) },
        { kind: 'login', email: 'recent@example.nl', ip: '1.2.3.4', at: hoursAgo(23) },
      ])
      .execute();
    await db
      .insertInto('sessions')
      .values([
        { sid: 'expired', sess: JSON.stringify({}), expires_at: hoursAgo(1) },
        { sid: 'live', sess: JSON.stringify({}), expires_at: hoursAgo(-1) },
      ])
      .execute();
    const oldUpload = await repo.createUpload(db, { userId: user.id, fileName: 'oud.csv' });
    await repo.appendUploadChunk(db, oldUpload, 0, Buffer.from('kans_id;naam\n'));
    const newUpload = await repo.createUpload(db, { userId: user.id, fileName: 'nieuw.csv' });
    await repo.appendUploadChunk(db, newUpload, 0, Buffer.from('kans_id;naam\n'));
    await db
      .updateTable('frame_uploads')
      .set({ created_at: hoursAgo(25) })
      .where('id', '=', oldUpload)
      .execute();
    await db
      .updateTable('frame_uploads')
      .set({ created_at: hoursAgo(2) })
      .where('id', '=', newUpload)
      .execute();

    expect(await cleanUp(db, now)).toEqual({ attempts: 2, sessions: 1, uploads: 1 });
    expect((await db.selectFrom('auth_attempts').select('email').execute()).map((r) => r.email)).toEqual([
      'recent@example.nl',
    ]);
    expect((await db.selectFrom('sessions').select('sid').execute()).map((r) => r.sid)).toEqual(['live']);
    expect((await db.selectFrom('frame_uploads').select('id').execute()).map((r) => r.id)).toEqual([newUpload]);
    expect((await db.selectFrom('frame_upload_chunks').select('upload_id').execute()).map((r) => r.upload_id)).toEqual([
      newUpload,
    ]);
  });
});
