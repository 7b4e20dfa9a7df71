import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { testDialects } from '../support/databases';
import { testApp } from '../support/web-client';

describe.each(testDialects())('health on $kind', (dialect) => {
  it('answers 503 with status error when the database does not answer', async () => {
    const handle = await dialect.create();
    const { app } = await testApp(handle);
    expect((await request(app).get('/health')).body).toEqual({ status: 'ok', database: dialect.kind });
    await handle.db.destroy();
    const res = await request(app).get('/health');
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'error', database: dialect.kind });
    await handle.close().catch(() => undefined);
  });
});
