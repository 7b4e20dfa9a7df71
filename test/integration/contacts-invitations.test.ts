// Issue 14, point 2: everyone reachable. Contacts come from the frame's e-mail
// column or a contacts CSV (all or nothing, errors by line and column); a bulk
// invitation creates member accounts with set-password links through the queue;
// reminders go only to contacts of non-responders, with a preview and a correct count.
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../foundation/db/database';
import { importContacts } from '../../register/contacts-import';
import type { AppConfig } from '../../server/config';
import { testDialects } from '../support/databases';
import { seedSurvey } from '../support/survey-fixtures';
import { Browser, csrfFrom, deliverQueuedMail, makeUser, PASSWORD, testApp } from '../support/web-client';

describe.each(testDialects())('contacts, bulk invitations and reminders on $kind', (dialect) => {
  let handle: DatabaseHandle;
  let app: Express;
  let config: AppConfig;
  let slug: string;
  let rows: Awaited<ReturnType<typeof seedSurvey>>['rows'];
  let staff: Browser;

  beforeAll(async () => {
    handle = await dialect.create();
    ({ slug, rows } = await seedSurvey(handle, { orgs: 30, contacts: true }));
    ({ app, config } = await testApp(handle));
    await makeUser(handle, 'staff@example.nl', 'staff');
    staff = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('keeps the addresses of the frame as contacts', async () => {
    const contacts = await handle.db.selectFrom('organisation_contacts').selectAll().execute();
    const withAddress = rows.filter((r) => r.email);
    expect(withAddress.length).toBeGreaterThan(20);
    expect(contacts).toHaveLength(withAddress.length);
    expect(contacts.every((c) => c.source === 'frame' && c.name === 'Secretariaat')).toBe(true);
  });

  it('imports a contacts CSV all or nothing, with every error by line and column', async () => {
    const noAddress = rows.filter((r) => !r.email).map((r) => r.org_id);
    const bad = Buffer.from(
      `org_id;email;naam\n${noAddress[0]};a@een.nl;An\nKANS-9999;b@twee.nl;Bo\n${noAddress[0]};geen-adres;Cas\n;c@drie.nl;\n`,
    );
    const refused = await importContacts(handle.db, bad, null);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.errors.map((e) => [e.line, e.column, e.code])).toEqual([
      [3, 'org_id', 'contacts.error.unknown_org'],
      [4, 'email', 'contacts.error.bad_email'],
      [5, 'org_id', 'contacts.error.required'],
    ]);
    expect(
      await handle.db.selectFrom('organisation_contacts').select('email').where('email', '=', 'a@een.nl').execute(),
    ).toEqual([]);
    const good = await importContacts(
      handle.db,
      Buffer.from(`kans_id,e-mail,contactpersoon\n${noAddress[0]},"A@een.nl; a2@een.nl",An de Vries\n`),
      null,
    );
    expect(good).toEqual({ ok: true, contacts: 2, organisations: 1, shared: [] });
  });

  it('refuses odd addresses with line and column, and warns about an address organisations share', async () => {
    const [first, second] = rows.filter((r) => r.email);
    const odd = await importContacts(
      handle.db,
      Buffer.from(
        `org_id,email\n${first.org_id},list:evil@attacker.example\n${first.org_id},a@b.nl(comment)\n${first.org_id},"Jan <jan@x.nl>"\n`,
      ),
      null,
    );
    expect(odd.ok).toBe(false);
    if (odd.ok) return;
    expect(odd.errors.map((e) => [e.line, e.column, e.code, e.params.value])).toEqual([
      [2, 'email', 'contacts.error.bad_email', 'list:evil@attacker.example'],
      [3, 'email', 'contacts.error.bad_email', 'a@b.nl(comment)'],
      [4, 'email', 'contacts.error.bad_email', 'Jan'],
    ]);
    // The frame already gave the first organisation its address; the file gives it to the second too.
    const shared = await importContacts(
      handle.db,
      Buffer.from(`org_id,email\n${second.org_id},${first.email!.toUpperCase()}\n`),
      null,
      { dryRun: true, year: 2019 },
    );
    expect(shared).toEqual({
      ok: true,
      contacts: 1,
      organisations: 1,
      shared: [{ email: first.email!.toLowerCase(), orgIds: [first.org_id, second.org_id].sort() }],
    });
    // A dry run writes nothing.
    const stored = await handle.db
      .selectFrom('organisation_contacts')
      .select('org_id')
      .where('email', '=', first.email!.toLowerCase())
      .execute();
    expect(stored.map((r) => r.org_id)).toEqual([first.org_id]);
    // Only organisations of that year's frame.
    const otherYear = await importContacts(handle.db, Buffer.from(`org_id,email\n${second.org_id},x@y.nl\n`), null, {
      year: 1999,
    });
    expect(otherYear.ok).toBe(false);
  });

  it('previews a bulk invitation, then queues it: accounts for contacts, set-password links that work', async () => {
    const preview = await staff.get(`/beheer/metingen/${slug}/berichten?kind=invitation&audience=all`);
    expect(preview.status).toBe(200);
    const withoutAddress = rows.filter((r) => !r.email).length - 1; // one got addresses from the CSV
    const reached = 30 - withoutAddress;
    const messages = reached + 1; // that one has two addresses
    expect(preview.text).toContain(
      `${messages} berichten naar ${reached} organisaties; ${withoutAddress} organisatie${withoutAddress === 1 ? '' : 's'} zonder e-mailadres.`,
    );
    expect(preview.text).toContain('Zo ziet het bericht eruit');
    expect(preview.text).toContain('[persoonlijke link]');
    // Previewing sends nothing.
    expect(await handle.db.selectFrom('mail_queue').select('id').execute()).toEqual([]);

    const sent = await staff.agent
      .post(`/beheer/metingen/${slug}/berichten`)
      .type('form')
      .send({ _csrf: csrfFrom(preview.text), kind: 'invitation', audience: 'all' });
    expect(sent.status).toBe(303);
    // The click only queued: nothing was sent yet, and the monitor says so.
    const monitor = await staff.get(`/beheer/metingen/${slug}`);
    expect(monitor.text).toContain(`${messages} berichten verstuurd naar ${reached} organisaties`);
    expect(monitor.text).toContain(`${messages} in de wachtrij, 0 verzonden`);
    const members = await handle.db.selectFrom('users').selectAll().where('role', '=', 'member').execute();
    expect(members).toHaveLength(messages);
    expect(members.every((m) => m.password_hash === null)).toBe(true);

    expect(await deliverQueuedMail(handle, config)).toBe(messages);
    const first = rows.find((r) => r.email)!;
    const outbox = await import('node:fs/promises').then((fs) =>
      fs
        .readdir(`${config.dataDir}/outbox`)
        .then((files) => Promise.all(files.map((f) => fs.readFile(`${config.dataDir}/outbox/${f}`, 'utf8')))),
    );
    const mail = outbox.find((m) => m.includes(`To: ${first.email}`))!;
    const link = mail
      .replace(/=\r?\n/g, '')
      .match(
        /wachtwoord-instellen\?soort=3Dinvite&token=3D([\w-]+)|wachtwoord-instellen\?soort=invite&(?:amp;)?token=([\w-]+)/,
      );
    expect(link).not.toBeNull();
    const token = link![1] ?? link![2];
    const visitor = new Browser(app);
    const form = await visitor.get(`/wachtwoord-instellen?soort=invite&token=${token}`);
    expect(form.status).toBe(200);
    const set = await visitor.agent
      .post('/wachtwoord-instellen')
      .type('form')
      .send({ _csrf: csrfFrom(form.text), kind: 'invite', token, password: PASSWORD, password_confirm: PASSWORD });
    expect(set.status).toBe(303);
    const member = new Browser(app);
    expect((await member.login(first.email!, PASSWORD)).status).toBe(303);
    expect((await member.get(`/vragenlijst/${slug}/stap/1`)).status).toBe(200);
  });

  it('sends a reminder only to the chosen non-responders, with a singular count', async () => {
    const [a, b] = rows.filter((r) => r.email);
    // b has submitted: a reminder never goes there, even when chosen.
    const wave = await handle.db.selectFrom('waves').select('id').where('slug', '=', slug).executeTakeFirstOrThrow();
    await handle.db
      .insertInto('responses')
      .values({
        wave_id: wave.id,
        org_id: b.org_id,
        status: 'submitted',
        submitted_at: new Date(),
        record_key: 1,
      } as never)
      .execute();
    const before = (await handle.db.selectFrom('mail_queue').select('id').execute()).length;
    const preview = await staff.get(
      `/beheer/metingen/${slug}/berichten?kind=reminder&audience=selection&org_id=${a.org_id}&org_id=${b.org_id}`,
    );
    expect(preview.text).toContain('1 bericht naar 1 organisatie; 0 organisaties zonder e-mailadres.');
    await staff.agent
      .post(`/beheer/metingen/${slug}/berichten`)
      .type('form')
      .send({ _csrf: csrfFrom(preview.text), kind: 'reminder', audience: 'selection', org_id: [a.org_id, b.org_id] });
    const queued = await handle.db.selectFrom('mail_queue').select(['to_address', 'kind']).execute();
    expect(queued.length - before).toBe(1);
    expect(queued.filter((q) => q.kind === 'reminder')).toEqual([{ to_address: a.email, kind: 'reminder' }]);
    expect((await staff.get(`/beheer/metingen/${slug}`)).text).toContain(
      '1 bericht verstuurd naar 1 organisatie; 0 organisaties zonder e-mailadres.',
    );
  });

  it('finds non-responders by name or KAnS id, one page at a time', async () => {
    const target = rows[7];
    const found = await staff.get(`/beheer/metingen/${slug}?zoek=${encodeURIComponent(target.org_id)}`);
    expect(found.text).toContain(`1 gevonden voor &#34;${target.org_id}&#34;.`);
    expect(found.text).toContain(target.name);
    expect(found.text).not.toContain(rows[8].name);
  });
});
