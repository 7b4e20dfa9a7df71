import { type Response, Router } from 'express';
import { z } from 'zod';
import { inviteForm, userChangeForm } from '../../accounts/account-forms';
import { AccountError, changeUser, ROLES } from '../../accounts/accounts';
import { inviteUser, sendInvitation } from '../../accounts/invitations';
import { findUserById, listUsers } from '../../accounts/users-repository';
import type { Role } from '../../foundation/db/schema';
import { findOrganisation, searchOrganisations } from '../../register/frame-repository';
import type { AppContext } from '../app';
import { requireAdmin, requireStaff } from '../web/auth';
import { type FieldError, readForm } from '../web/form';
import { HttpError, notFound } from '../web/http-error';

const idParam = z.coerce.number().int().positive();
const INVITE_FIELDS = Object.keys(inviteForm.shape);
/** Organisations listed per search; a longer list asks for a narrower search. */
const ORG_RESULTS = 20;

export function userAdminRoutes(ctx: AppContext) {
  const router = Router();
  userListRoutes(router, ctx);
  userChangeRoutes(router, ctx);
  return router;
}

/** The users page and inviting a new user. */
function userListRoutes(router: Router, ctx: AppContext) {
  const { db, mailQueue, config } = ctx;
  async function showUsers(
    req: Parameters<Parameters<typeof router.get>[1]>[0],
    res: Response,
    values: Record<string, string>,
    errors: FieldError[],
    status = 200,
  ) {
    // The organisation is chosen by a search among the population frame (name or KAnS id).
    const search = (values.org_zoek ?? '').trim().slice(0, 200);
    const orgId = (values.org_id ?? '').trim();
    const [users, found, chosen] = await Promise.all([
      listUsers(db),
      search ? searchOrganisations(db, search, ORG_RESULTS) : null,
      orgId ? findOrganisation(db, orgId) : undefined,
    ]);
    // The chosen organisation stays a choice (checked) even when the search does not list it.
    const choices = found ? [...found.rows] : [];
    if (chosen && !choices.some((o) => o.org_id === chosen.org_id)) choices.unshift(chosen);
    await res.page(
      'pages/users',
      {
        users,
        values,
        errors,
        orgSearch: {
          query: search,
          searched: Boolean(search),
          choices,
          total: found?.total ?? 0,
          shown: found?.rows.length ?? 0,
        },
        roles: req.user!.role === 'admin' ? ROLES : ROLES.filter((r) => r !== 'admin'),
      },
      status,
    );
  }

  router.get('/beheer/gebruikers', requireStaff, async (req, res) => {
    // The search button sends the whole invitation form by GET; its CSRF token has no place in an address.
    if ('_csrf' in req.query) {
      const params = new URLSearchParams();
      for (const field of INVITE_FIELDS) {
        const value = req.query[field];
        if (typeof value === 'string' && value !== '') params.set(field, value);
      }
      return res.redirect(303, `/beheer/gebruikers?${params}#org-title`);
    }
    const { values } = readForm(inviteForm, req.query);
    await showUsers(req, res, { ...values, role: values.role || 'member' }, []);
  });

  router.post('/beheer/gebruikers', requireStaff, async (req, res) => {
    const { values, errors } = readForm(inviteForm, req.body);
    if (errors.length === 0) {
      try {
        const user = await inviteUser({
          db,
          publicUrl: config.publicUrl,
          locale: res.locals.locale,
          inviter: req.user!,
          account: { email: values.email, name: values.name, role: values.role as Role, orgId: values.org_id || null },
        });
        mailQueue.wake();
        req.session.flash = { kind: 'success', key: 'users.invited', params: { email: user.email } };
        return res.redirect(303, '/beheer/gebruikers');
      } catch (error) {
        if (!(error instanceof AccountError)) throw error;
        errors.push({ field: error.field ?? 'email', key: error.code, params: error.params });
        // A name typed where the id belongs ("Muziekschool Tilburg"): offer the organisations it matches.
        if (error.code === 'account.org_unknown' && !values.org_zoek.trim()) values.org_zoek = values.org_id;
      }
    }
    await showUsers(req, res, values, errors, 422);
  });
}

/** One user: a new invitation, a changed role or organisation. */
function userChangeRoutes(router: Router, ctx: AppContext) {
  const { db, mailQueue, config } = ctx;
  router.post('/beheer/gebruikers/:id/uitnodiging', requireStaff, async (req, res) => {
    const id = idParam.safeParse(req.params.id);
    const user = id.success ? await findUserById(db, id.data) : undefined;
    if (!user) throw notFound();
    try {
      await sendInvitation({ db, publicUrl: config.publicUrl, locale: res.locals.locale, user, inviter: req.user! });
    } catch (error) {
      if (error instanceof AccountError) throw new HttpError(403, error.code);
      throw error;
    }
    mailQueue.wake();
    req.session.flash = { kind: 'success', key: 'users.invited', params: { email: user.email } };
    res.redirect(303, '/beheer/gebruikers');
  });

  router.post('/beheer/gebruikers/:id', requireAdmin, async (req, res) => {
    const id = idParam.safeParse(req.params.id);
    if (!id.success) throw notFound();
    const { values } = readForm(userChangeForm, req.body);
    try {
      await changeUser(db, id.data, { role: values.role, active: values.active, orgId: values.org_id }, req.user!);
      req.session.flash = { kind: 'success', key: 'users.updated' };
    } catch (error) {
      if (!(error instanceof AccountError)) throw error;
      if (error.code === 'account.not_found') throw notFound();
      req.session.flash = { kind: 'error', key: error.code, params: error.params };
    }
    res.redirect(303, '/beheer/gebruikers');
  });

  return router;
}
