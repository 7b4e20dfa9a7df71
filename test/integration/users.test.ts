import fs from 'node:fs/promises';
import path from 'node:path';
import type { Express } from 'express';
import { pino } from 'pino';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../foundation/db/database';
import { createApp } from '../../server/app';
import type { AppConfig } from '../../server/config';
import { outboxDir } from '../../server/config';
import { testDialects } from '../support/databases';
import {
  addOrganisation,
  Browser,
  csrfFrom,
  deliverQueuedMail,
  makeUser,
  PASSWORD,
  testApp,
} from '../support/web-client';

/** The link in the newest outbox message to this address. */
async function linkFromOutbox(config: AppConfig, handle: DatabaseHandle, to: string): Promise<string> {
  await deliverQueuedMail(handle, config);
  const mail = await handle.db
    .selectFrom('mail_messages')
    .selectAll()
    .where('to_address', '=', to)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  const eml = await fs.readFile(path.join(outboxDir(config), mail.outbox_file!), 'utf8');
  // Quoted-printable may wrap long lines with "=\n" and encode "=" as "=3D".
  const text = eml.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const match = text.match(/https?:\/\/\S+\/wachtwoord-instellen\?\S+/);
  if (!match) throw new Error('no link in the message');
  return new URL(match[0]).pathname + new URL(match[0]).search;
}

describe.each(testDialects())('roles, invitations and password reset on $kind', (dialect) => {
  let handle: DatabaseHandle;
  let app: Express;
  let config: AppConfig;

  beforeAll(async () => {
    handle = await dialect.create();
    ({ app, config } = await testApp(handle));
    await makeUser(handle, 'admin@example.nl', 'admin');
    await makeUser(handle, 'staff@example.nl', 'staff');
    await makeUser(handle, 'member@example.nl', 'member', 'KANS-001');
    await addOrganisation(handle, 'KANS-002');
    await addOrganisation(handle, 'KANS-009');
  });
  afterAll(async () => {
    await handle?.close();
  });

  it('refuses staff pages to a member with 403 and sends anonymous visitors to login', async () => {
    const member = new Browser(app);
    await member.login('member@example.nl', PASSWORD);
    for (const url of ['/beheer/gebruikers', '/beheer/e-mail']) {
      const res = await member.get(url);
      expect(res.status, url).toBe(403);
      expect(res.text).toContain('Geen toegang');
    }
    const home = await member.get('/');
    expect(home.text).toContain('Openstaande vragenlijsten');
    const anonymous = await request(app).get('/beheer/gebruikers');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe('/login?next=%2Fbeheer%2Fgebruikers');
  });

  it('lets staff see users but not the mail log, which is for admins', async () => {
    const staff = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);
    expect((await staff.get('/beheer/gebruikers')).status).toBe(200);
    expect((await staff.get('/beheer/e-mail')).status).toBe(403);
  });

  it('invites a member by e-mail with a single-use link that sets the password', async () => {
    const staff = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);
    const invited = await staff.submit('/beheer/gebruikers', '/beheer/gebruikers', {
      email: 'new@muziekschool.nl',
      name: 'Nieuw Lid',
      role: 'member',
      org_id: 'KANS-002',
    });
    expect(invited.status).toBe(303);
    const link = await linkFromOutbox(config, handle, 'new@muziekschool.nl');
    const stored = await handle.db.selectFrom('user_tokens').select('token_hash').execute();
    const token = new URLSearchParams(link.split('?')[1]).get('token')!;
    expect(stored.map((s) => s.token_hash)).not.toContain(token);

    const invitee = new Browser(app);
    const form = await invitee.get(link);
    expect(form.status).toBe(200);
    const set = await invitee.submit(link, '/wachtwoord-instellen', {
      kind: 'invite',
      token,
      password: 'mijn nieuwe wachtwoord',
      password_confirm: 'mijn nieuwe wachtwoord',
    });
    expect(set.status).toBe(303);
    expect((await invitee.get('/')).text).toContain('new@muziekschool.nl');

    // Used once: the same link no longer works.
    const reuse = await new Browser(app).get(link);
    expect(reuse.status).toBe(410);
    const again = await new Browser(app).submit('/login', '/wachtwoord-instellen', {
      kind: 'invite',
      token,
      password: 'een ander wachtwoord',
      password_confirm: 'een ander wachtwoord',
    });
    expect(again.status).toBe(410);
    expect((await new Browser(app).login('new@muziekschool.nl', 'mijn nieuwe wachtwoord')).status).toBe(303);
  });

  it('validates the invitation form and keeps what was typed', async () => {
    const staff = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);
    const res = await staff.submit('/beheer/gebruikers', '/beheer/gebruikers', {
      email: 'geen-adres',
      name: 'Typo',
      role: 'member',
      org_id: '',
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Vul een geldig e-mailadres in');
    expect(res.text).toContain('zoek de organisatie op naam of KAnS-id en kies haar, of vul het KAnS-id in');
    expect(res.text).toContain('value="geen-adres"');
    expect(res.text).toContain('href="#email"');
    const admin = await staff.submit('/beheer/gebruikers', '/beheer/gebruikers', {
      email: 'boss@example.nl',
      name: 'Boss',
      role: 'admin',
      org_id: '',
    });
    expect(admin.status).toBe(422);
    expect(admin.text).toContain('Alleen een beheerder kan een beheerder uitnodigen');
  });

  it('refuses a member of an organisation that is not in the population frame, at the field, keeping what was typed', async () => {
    const staff = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);
    const res = await staff.submit('/beheer/gebruikers', '/beheer/gebruikers', {
      email: 'spook@example.nl',
      name: 'Spook',
      role: 'member',
      org_id: 'KANS-<b>404</b>',
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain(
      'Organisatie &#34;KANS-&lt;b&gt;404&lt;/b&gt;&#34; staat niet in de populatie; importeer eerst de populatie of kies een bestaande organisatie.',
    );
    expect(res.text).toContain('href="#org_id"');
    expect(res.text).toContain('value="spook@example.nl"');
    expect(res.text).toContain('value="KANS-&lt;b&gt;404&lt;/b&gt;"');
    expect(res.text).not.toContain('<b>404</b>');
    expect(await handle.db.selectFrom('users').where('email', '=', 'spook@example.nl').select('id').execute()).toEqual(
      [],
    );
    expect(
      await handle.db.selectFrom('mail_queue').where('to_address', '=', 'spook@example.nl').select('id').execute(),
    ).toEqual([]);

    // An admin cannot move a member to an unknown organisation either.
    const admin = new Browser(app);
    await admin.login('admin@example.nl', PASSWORD);
    const member = await makeUser(handle, 'verhuis@example.nl', 'member', 'KANS-001');
    await admin.submit('/beheer/gebruikers', `/beheer/gebruikers/${member.id}`, { role: 'member', org_id: 'KANS-404' });
    expect((await admin.get('/beheer/gebruikers')).text).toContain(
      'Organisatie &#34;KANS-404&#34; staat niet in de populatie',
    );
    const stored = await handle.db.selectFrom('users').where('id', '=', member.id).select('org_id').executeTakeFirst();
    expect(stored?.org_id).toBe('KANS-001');

    // An organisation of the frame is accepted.
    const ok = await staff.submit('/beheer/gebruikers', '/beheer/gebruikers', {
      email: 'echt@example.nl',
      name: 'Echt',
      role: 'member',
      org_id: 'KANS-002',
    });
    expect(ok.status).toBe(303);
  });

  it('chooses the organisation of a member by searching the frame by name or KAnS id, keeping what was typed', async () => {
    const schools: [string, string, string, string][] = [
      ['KANS-0101', 'Muziekschool Tilburg', 'muziekschool', 'Tilburg'],
      ['KANS-0102', 'Kunstencentrum Tilburg-Noord', 'centrum voor de kunsten', 'Tilburg'],
      ['KANS-0103', 'Muziekschool Breda', 'muziekschool', 'Breda'],
      ['KANS-0104', 'Dansschool 100%_Echt', 'particuliere aanbieder', 'Breda'],
    ];
    for (const [org_id, name, org_type, municipality] of schools) {
      await handle.db.insertInto('organisations').values({ org_id, name, first_year: 2019, last_year: 2019 }).execute();
      await handle.db
        .insertInto('frame_units')
        .values({ year: 2019, org_id, name, org_type, province: 'Noord-Brabant', municipality, member: true })
        .execute();
    }
    const staff = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);

    // The search button sends the whole form by GET; the CSRF token is taken out of the address.
    const page = await staff.get('/beheer/gebruikers');
    const sent = await staff.get(
      `/beheer/gebruikers?_csrf=${encodeURIComponent(csrfFrom(page.text))}&email=zoek%40example.nl&name=Zoeker&role=member&org_id=&org_zoek=tilburg`,
    );
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toBe(
      '/beheer/gebruikers?email=zoek%40example.nl&name=Zoeker&role=member&org_zoek=tilburg#org-title',
    );
    const found = await staff.get(sent.headers.location.replace(/#.*/, ''));
    expect(found.status).toBe(200);
    expect(found.text).toContain('2 organisaties gevonden voor &#34;tilburg&#34;.');
    expect(found.text).toContain('value="zoek@example.nl"');
    expect(found.text).toContain('value="Zoeker"');
    expect(found.text).toMatch(/<input type="radio" name="org_id" id="org_id" value="KANS-0102"[^>]*>/);
    expect(found.text).toContain('KANS-0101 · muziekschool · Tilburg, Noord-Brabant');
    expect(found.text).not.toContain('Muziekschool Breda');

    // By KAnS id, case-insensitively: one match, already chosen.
    const byId = await staff.get('/beheer/gebruikers?org_zoek=kans-0103');
    expect(byId.text).toContain('1 organisatie gevonden voor &#34;kans-0103&#34;.');
    expect(byId.text).toContain('value="KANS-0103" checked');
    // LIKE's own characters are taken literally.
    const literal = await staff.get(`/beheer/gebruikers?org_zoek=${encodeURIComponent('100%_')}`);
    expect(literal.text).toContain('Dansschool 100%_Echt');
    expect((await staff.get('/beheer/gebruikers?org_zoek=_')).text).toContain(
      '1 organisatie gevonden voor &#34;_&#34;.',
    );
    expect((await staff.get('/beheer/gebruikers?org_zoek=Atlantis')).text).toContain(
      'Geen organisatie in de populatie gevonden voor &#34;Atlantis&#34;.',
    );
    // More matches than are listed: the count of the rest and a request to narrow down.
    const many = await staff.get('/beheer/gebruikers?org_zoek=kans');
    expect(many.text).toMatch(/\d+ organisaties gevonden voor &#34;kans&#34;\./);

    // Choosing a result invites the member for that organisation.
    const invited = await staff.submit('/beheer/gebruikers', '/beheer/gebruikers', {
      email: 'zoek@example.nl',
      name: 'Zoeker',
      role: 'member',
      org_id: 'KANS-0101',
      org_zoek: 'tilburg',
    });
    expect(invited.status).toBe(303);
    const user = await handle.db
      .selectFrom('users')
      .select('org_id')
      .where('email', '=', 'zoek@example.nl')
      .executeTakeFirstOrThrow();
    expect(user.org_id).toBe('KANS-0101');

    // A name typed as the id is refused at the field, and the organisations it matches are offered.
    const named = await staff.submit('/beheer/gebruikers', '/beheer/gebruikers', {
      email: 'naam@example.nl',
      name: '',
      role: 'member',
      org_id: 'Muziekschool Tilburg',
    });
    expect(named.status).toBe(422);
    expect(named.text).toContain(
      '<a href="#org_id">Organisatie &#34;Muziekschool Tilburg&#34; staat niet in de populatie',
    );
    expect(named.text).toContain('id="org_id-error"');
    expect(named.text).toContain('1 organisatie gevonden voor &#34;Muziekschool Tilburg&#34;.');
    // Offered, not chosen for them: the staff member picks it.
    expect(named.text).toMatch(/<input type="radio" name="org_id" id="org_id" value="KANS-0101" aria-invalid="true">/);
    expect(await handle.db.selectFrom('users').where('email', '=', 'naam@example.nl').select('id').execute()).toEqual(
      [],
    );
  });

  it('resets a password with an expiring single-use link, without revealing unknown addresses', async () => {
    const visitor = new Browser(app);
    const unknown = await visitor.submit('/wachtwoord-vergeten', '/wachtwoord-vergeten', {
      email: 'nobody@example.nl',
    });
    const known = await visitor.submit('/wachtwoord-vergeten', '/wachtwoord-vergeten', { email: 'member@example.nl' });
    expect(unknown.status).toBe(200);
    expect(known.status).toBe(200);
    expect(unknown.text).toContain('Als dit e-mailadres bij ons bekend is');
    expect(known.text).toContain('Als dit e-mailadres bij ons bekend is');
    expect(
      await handle.db.selectFrom('mail_messages').select('id').where('to_address', '=', 'nobody@example.nl').execute(),
    ).toHaveLength(0);

    const link = await linkFromOutbox(config, handle, 'member@example.nl');
    const token = new URLSearchParams(link.split('?')[1]).get('token')!;
    // An expired link is refused.
    await handle.db
      .updateTable('user_tokens')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('kind', '=', 'reset')
      .execute();
    expect((await visitor.get(link)).status).toBe(410);
    const expired = await visitor.submit('/login', '/wachtwoord-instellen', {
      kind: 'reset',
      token,
      password: 'nog een wachtwoord',
      password_confirm: 'nog een wachtwoord',
    });
    expect(expired.status).toBe(410);
    expect(expired.text).toContain('niet meer geldig');

    // A fresh link works once.
    await visitor.submit('/wachtwoord-vergeten', '/wachtwoord-vergeten', { email: 'member@example.nl' });
    const fresh = await linkFromOutbox(config, handle, 'member@example.nl');
    const freshToken = new URLSearchParams(fresh.split('?')[1]).get('token')!;
    const short = await visitor.submit(fresh, '/wachtwoord-instellen', {
      kind: 'reset',
      token: freshToken,
      password: 'kort',
      password_confirm: 'kort',
    });
    expect(short.status).toBe(422);
    expect(short.text).toContain('minstens 10 tekens');
    const ok = await visitor.submit(fresh, '/wachtwoord-instellen', {
      kind: 'reset',
      token: freshToken,
      password: 'een nieuw wachtwoord',
      password_confirm: 'een nieuw wachtwoord',
    });
    expect(ok.status).toBe(303);
    expect((await new Browser(app).login('member@example.nl', 'een nieuw wachtwoord')).status).toBe(303);
    expect(
      (
        await new Browser(app).submit('/login', '/wachtwoord-instellen', {
          kind: 'reset',
          token: freshToken,
          password: 'een derde wachtwoord',
          password_confirm: 'een derde wachtwoord',
        })
      ).status,
    ).toBe(410);
  });

  it('makes every other link of the account useless once a password is set by a link', async () => {
    const staff = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);
    await staff.submit('/beheer/gebruikers', '/beheer/gebruikers', {
      email: 'twee@example.nl',
      name: 'Twee Links',
      role: 'member',
      org_id: 'KANS-002',
    });
    const invite = await linkFromOutbox(config, handle, 'twee@example.nl');
    const visitor = new Browser(app);
    await visitor.submit('/wachtwoord-vergeten', '/wachtwoord-vergeten', { email: 'twee@example.nl' });
    const firstReset = await linkFromOutbox(config, handle, 'twee@example.nl');
    await visitor.submit('/wachtwoord-vergeten', '/wachtwoord-vergeten', { email: 'twee@example.nl' });
    const secondReset = await linkFromOutbox(config, handle, 'twee@example.nl');
    expect(new Set([invite, firstReset, secondReset]).size).toBe(3);
    expect((await visitor.get(invite)).status).toBe(200);

    const set = await visitor.submit(secondReset, '/wachtwoord-instellen', {
      kind: 'reset',
      token: new URLSearchParams(secondReset.split('?')[1]).get('token')!,
      password: 'het nieuwe wachtwoord',
      password_confirm: 'het nieuwe wachtwoord',
    });
    expect(set.status).toBe(303);
    for (const [link, kind] of [
      [firstReset, 'reset'],
      [invite, 'invite'],
    ]) {
      expect((await new Browser(app).get(link)).status, link).toBe(410);
      const late = await new Browser(app).submit('/login', '/wachtwoord-instellen', {
        kind,
        token: new URLSearchParams(link.split('?')[1]).get('token')!,
        password: 'een later wachtwoord',
        password_confirm: 'een later wachtwoord',
      });
      expect(late.status, link).toBe(410);
    }
    expect((await new Browser(app).login('twee@example.nl', 'het nieuwe wachtwoord')).status).toBe(303);
  });

  it('makes a reset link already sent useless once the password is changed on Mijn account', async () => {
    await makeUser(handle, 'wissel@example.nl', 'member', 'KANS-001');
    await new Browser(app).submit('/wachtwoord-vergeten', '/wachtwoord-vergeten', { email: 'wissel@example.nl' });
    const reset = await linkFromOutbox(config, handle, 'wissel@example.nl');
    const owner = new Browser(app);
    await owner.login('wissel@example.nl', PASSWORD);
    const changed = await owner.submit('/mijn-account', '/mijn-account/wachtwoord', {
      current_password: PASSWORD,
      password: 'zelf gekozen wachtwoord',
      password_confirm: 'zelf gekozen wachtwoord',
    });
    expect(changed.status).toBe(303);
    expect((await new Browser(app).get(reset)).status).toBe(410);
    const late = await new Browser(app).submit('/login', '/wachtwoord-instellen', {
      kind: 'reset',
      token: new URLSearchParams(reset.split('?')[1]).get('token')!,
      password: 'een later wachtwoord',
      password_confirm: 'een later wachtwoord',
    });
    expect(late.status).toBe(410);
    expect((await new Browser(app).login('wissel@example.nl', 'zelf gekozen wachtwoord')).status).toBe(303);
  });

  it('lets an admin change roles and deactivate users; a deactivated user is logged out at once', async () => {
    const victim = await makeUser(handle, 'leaving@example.nl', 'staff');
    const session = new Browser(app);
    await session.login('leaving@example.nl', PASSWORD);
    expect((await session.get('/beheer/gebruikers')).status).toBe(200);

    const admin = new Browser(app);
    await admin.login('admin@example.nl', PASSWORD);
    const demoted = await admin.submit('/beheer/gebruikers', `/beheer/gebruikers/${victim.id}`, {
      role: 'member',
      org_id: 'KANS-009',
    });
    expect(demoted.status).toBe(303);
    expect((await session.get('/beheer/gebruikers')).status).toBe(403);

    await admin.submit('/beheer/gebruikers', `/beheer/gebruikers/${victim.id}`, { active: 'false' });
    const after = await session.get('/');
    expect(after.status).toBe(303);
    expect((await new Browser(app).login('leaving@example.nl', PASSWORD)).status).toBe(401);

    const audit = await handle.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id'])
      .where('entity_id', '=', String(victim.id))
      .execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['user.create', 'user.update']));

    // Staff may not change roles.
    const staff = new Browser(app);
    await staff.login('staff@example.nl', PASSWORD);
    expect(
      (await staff.submit('/beheer/gebruikers', `/beheer/gebruikers/${victim.id}`, { active: 'true' })).status,
    ).toBe(403);
  });

  it('lists every sent message for admins, readable from the outbox', async () => {
    const admin = new Browser(app);
    await admin.login('admin@example.nl', PASSWORD);
    const list = await admin.get('/beheer/e-mail');
    expect(list.status).toBe(200);
    expect(list.text).toContain('new@muziekschool.nl');
    expect(list.text).toContain('Uitnodiging voor de Impactmonitor');
    const first = await handle.db.selectFrom('mail_messages').select('id').orderBy('id').executeTakeFirstOrThrow();
    const show = await admin.get(`/beheer/e-mail/${first.id}`);
    expect(show.status).toBe(200);
    expect(show.text).toContain('[link weggelaten]');
    expect((await admin.get('/beheer/e-mail/99999')).status).toBe(404);
  });

  it('keeps reset links out of the mail log and the request log; only the 0600 outbox file holds them', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const logged = await createApp({ handle, config, logger });
    const visitor = new Browser(logged);
    await visitor.submit('/wachtwoord-vergeten', '/wachtwoord-vergeten', { email: 'staff@example.nl' });
    const link = await linkFromOutbox(config, handle, 'staff@example.nl');
    const token = new URLSearchParams(link.split('?')[1]).get('token')!;
    expect(token.length).toBeGreaterThan(20);
    const mail = await handle.db
      .selectFrom('mail_messages')
      .selectAll()
      .where('to_address', '=', 'staff@example.nl')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(mail.body_text).not.toContain(token);
    expect(mail.body_text).toContain('[link weggelaten]');
    // The queue held the link only until the message was sent.
    const queued = await handle.db
      .selectFrom('mail_queue')
      .selectAll()
      .where('mail_message_id', '=', mail.id)
      .execute();
    expect(queued).toHaveLength(1);
    expect(queued[0].status).toBe('sent');
    expect(queued[0].body_text).not.toContain(token);
    expect((await fs.stat(path.join(outboxDir(config), mail.outbox_file!))).mode & 0o777).toBe(0o600);
    const admin = new Browser(logged);
    await admin.login('admin@example.nl', PASSWORD);
    expect((await admin.get(`/beheer/e-mail/${mail.id}`)).text).not.toContain(token);
    expect((await visitor.get(link)).status).toBe(200);
    const log = lines.join('');
    expect(log).toContain('/wachtwoord-instellen?soort=reset&token=[verwijderd]');
    expect(log).not.toContain(token);
    expect(log).not.toMatch(/impactmonitor\.sid=/);
  });
});
