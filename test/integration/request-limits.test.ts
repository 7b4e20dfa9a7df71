// Issue 23.4: a body's declared length is checked before it is read, an anonymous body
// has a small limit and stops being read there, and a body without a length is refused.

import type { AddressInfo } from 'node:net';
import net from 'node:net';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, testDialects } from '../support/databases';
import { Browser, csrfFrom, makeUser, PASSWORD, testApp } from '../support/web-client';

/** Send headers, then keep writing body bytes until the server answers; returns its status line and the bytes sent. */
function sendHuge(port: number, head: string): Promise<{ status: string; sent: number }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let sent = 0;
    let answer = '';
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const pump = () => {
      while (!socket.destroyed && sent < 100 * 1024 * 1024) {
        sent += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
    };
    socket.on('connect', () => {
      socket.write(head);
      pump();
    });
    socket.on('data', (d) => (answer += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve({ status: answer.split('\r\n')[0] ?? '', sent }));
  });
}

describe.each(testDialects())('request bodies on $kind', (dialect) => {
  let handle: TestDatabase;
  let app: Express;

  beforeAll(async () => {
    handle = await dialect.create();
    ({ app } = await testApp(handle));
    await makeUser(handle, 'body@example.nl', 'staff');
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('answers 413 to an anonymous body declared too large before reading it, and closes the connection', async () => {
    const server = app.listen(0);
    const { port } = server.address() as AddressInfo;
    try {
      const res = await sendHuge(
        port,
        'POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 104857600\r\n\r\n',
      );
      expect(res.status).toBe('HTTP/1.1 413 Payload Too Large');
      // Refused long before the end: the connection was closed after a fraction of 100 MB.
      expect(res.sent).toBeLessThan(50 * 1024 * 1024);
      const chunked = await sendHuge(
        port,
        'POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n',
      );
      expect(chunked.status).toBe('HTTP/1.1 411 Length Required');
      expect(chunked.sent).toBeLessThan(50 * 1024 * 1024);
    } finally {
      server.close();
    }
  });

  it('gives a visitor 16 KB and a logged-in user 200 KB, in Dutch', async () => {
    const visitor = new Browser(app);
    const token = csrfFrom((await visitor.get('/login')).text);
    const big = await visitor.agent
      .post('/login')
      .type('form')
      .send({ _csrf: token, email: 'x@example.nl', password: 'p'.repeat(20_000) });
    expect(big.status).toBe(413);
    expect(big.text).toContain('Het verzoek is te groot.');
    expect(big.headers.connection).toBe('close');
    const staff = new Browser(app);
    expect((await staff.login('body@example.nl', PASSWORD)).status).toBe(303);
    const page = await staff.get('/mijn-account');
    const res = await staff.agent
      .post('/mijn-account/wachtwoord')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), current: 'p'.repeat(100_000) });
    // Read and answered by the form (the current password is wrong), not refused for its size.
    expect(res.status).toBe(422);
    expect((await request(app).get('/health')).status).toBe(200);
  });
});
