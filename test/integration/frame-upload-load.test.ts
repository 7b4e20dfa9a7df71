// Issue 12 point 9: one large frame upload must not take the app down. The file
// streams into the database as it arrives and is parsed once, a little at a
// time; the preview pages show the stored summary; an oversized body is refused
// without being read to the end.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import type { Express } from 'express';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, testDialects } from '../support/databases';
import { Browser, csrfFrom, makeUser, PASSWORD, testApp } from '../support/web-client';

const HEADER =
  'kans_id;naam;type;provincie;gemeente;lid;leerlingen;omzet;subsidie;fte;docenten_loondienst;docenten_zzp';
const ROWS = 160_000;

function bigFrame(): Buffer {
  const lines = [HEADER];
  for (let i = 1; i <= ROWS; i++)
    lines.push(
      `K${i};Muziekschool nummer ${i};muziekschool;Overijssel;Zwolle;${i % 2 ? 'ja' : 'nee'};70;42700;1494;5,9;6;8`,
    );
  return Buffer.from(`${lines.join('\n')}\n`);
}

function listen(app: Express): Promise<Server> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}

describe.each(testDialects())('a large frame upload on $kind', (dialect) => {
  let handle: TestDatabase;
  let app: Express;
  let server: Server;
  let base: string;
  let staff: Browser;

  beforeAll(async () => {
    handle = await dialect.create();
    ({ app } = await testApp(handle, { uploadLimitBytes: 50 * 1024 * 1024 }));
    server = await listen(app);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await makeUser(handle, 'staff@example.nl', 'staff');
    staff = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await handle?.close();
  });

  it('keeps /health answering within a second, stores the preview once, and never parses it again', async () => {
    const file = bigFrame();
    expect(file.length).toBeGreaterThan(10 * 1024 * 1024);
    const page = await staff.get('/beheer/populatie');
    let uploading = true;
    const slowest: number[] = [];
    const polling = (async () => {
      while (uploading) {
        const started = performance.now();
        const res = await fetch(`${base}/health`);
        expect(res.status).toBe(200);
        await res.text();
        slowest.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    const res = await staff.agent
      .post('/beheer/populatie/upload')
      .field('_csrf', csrfFrom(page.text))
      .field('year', '2019')
      .attach('file', file, 'kans-groot.csv');
    uploading = false;
    await polling;
    expect(res.status).toBe(303);
    expect(slowest.length).toBeGreaterThan(5);
    expect(Math.max(...slowest)).toBeLessThan(1000);

    // The preview pages read the stored summary: with the stored bytes turned to
    // garbage they still show the file as it was uploaded.
    await sql`update frame_upload_chunks set bytes = convert_to('garbage;garbage', 'UTF8')`.execute(handle.db);
    for (let view = 0; view < 2; view++) {
      const preview = await staff.get(res.headers.location);
      expect(preview.status).toBe(200);
      expect(preview.text).toContain('160.000 organisaties, waarvan 80.000 leden');
      expect(preview.text).toContain('Muziekschool nummer 1<');
    }
  }, 120_000);
});

describe.each(testDialects())('an oversized upload on $kind', (dialect) => {
  let handle: TestDatabase;
  let server: Server;
  let port: number;
  let staff: Browser;
  const LIMIT = 1024 * 1024;

  beforeAll(async () => {
    handle = await dialect.create();
    const { app } = await testApp(handle, { uploadLimitBytes: LIMIT });
    server = await listen(app);
    port = (server.address() as AddressInfo).port;
    await makeUser(handle, 'staff@example.nl', 'staff');
    staff = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await handle?.close();
  });

  /** Post a multipart body of `total` bytes (or until the server closes); count what went out. */
  async function post(total: number, chunked: boolean) {
    const token = csrfFrom((await staff.get('/beheer/populatie')).text);
    const boundary = 'grens12345';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="year"\r\n\r\n2019\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="groot.csv"\r\nContent-Type: text/csv\r\n\r\n${HEADER}\n`,
    );
    const socket = net.connect(port, '127.0.0.1');
    let response = '';
    let closed = false;
    socket.on('data', (d) => (response += d.toString('latin1')));
    socket.on('error', () => {});
    const closing = new Promise<void>((resolve) =>
      socket.on('close', () => {
        closed = true;
        resolve();
      }),
    );
    const write = async (data: Buffer) => {
      if (closed) return;
      const frame = chunked
        ? Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n')])
        : data;
      if (!socket.write(frame)) await Promise.race([new Promise((r) => socket.once('drain', r)), closing]);
    };
    socket.write(
      `POST /beheer/populatie/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-Proto: https\r\nCookie: ${staff.cookieHeader()}\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\n` +
        (chunked ? 'Transfer-Encoding: chunked\r\n' : `Content-Length: ${total}\r\n`) +
        '\r\n',
    );
    await write(head);
    let sent = head.length;
    const row = Buffer.from('K1;Een;muziekschool;Overijssel;;ja;700;427000;0;1;0;1\n'.repeat(1000));
    while (!closed && sent < total) {
      await write(row);
      sent += row.length;
    }
    await Promise.race([closing, new Promise((r) => setTimeout(r, 5000))]);
    socket.destroy();
    return { sent, closed, response };
  }

  it('answers 413 and closes the connection without reading the whole body', async () => {
    const total = 64 * LIMIT;
    for (const chunked of [false, true]) {
      const { sent, closed, response } = await post(total, chunked);
      expect(response).toMatch(/^HTTP\/1\.1 413/);
      expect(response.toLowerCase()).toContain('connection: close');
      expect(closed).toBe(true);
      // Refused long before the body's end (what is sent may sit in socket buffers).
      expect(sent).toBeLessThan(total / 2);
    }
    // Nothing of the refused uploads is kept.
    expect(await handle.db.selectFrom('frame_uploads').select('id').execute()).toEqual([]);
  }, 60_000);
});
