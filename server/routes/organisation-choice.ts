// A member account that answers for several organisations (one director, two
// schools) chooses which one it answers for: after login, and from the menu
// ("Organisatie wisselen"). The choice is kept in the session (activeOrgId);
// loadUser makes it the member's organisation on every request, so every
// organisation-scoped query uses it. A choice of an organisation the account is
// not linked to is refused.
import { type RequestHandler, Router } from 'express';
import { z } from 'zod';
import { recordAudit } from '../../foundation/audit/audit-log';
import { formText } from '../../foundation/form-fields';
import type { AppContext } from '../app';
import { requireRole, safeRedirectTarget } from '../web/auth';
import { readForm } from '../web/form';

const CHOOSER = '/organisatie-kiezen';
const chooseForm = z.object({ org_id: formText, next: formText });

/**
 * A member with several organisations who has not chosen yet is sent to the chooser
 * from the pages that answer for an organisation (home and the questionnaire).
 */
export function organisationGate(): RequestHandler {
  return (req, res, next) => {
    if (!res.locals.mustChooseOrganisation) return next();
    if (req.path !== '/' && !req.path.startsWith('/vragenlijst')) return next();
    const target = req.method === 'GET' ? req.originalUrl : '/';
    res.redirect(303, `${CHOOSER}?next=${encodeURIComponent(target)}`);
  };
}

export function organisationChoiceRoutes(ctx: AppContext) {
  const router = Router();
  const requireMember = requireRole('member');

  router.get(CHOOSER, requireMember, async (req, res) => {
    const organisations = res.locals.memberOrganisations as { org_id: string; name: string }[];
    if (organisations.length < 2) return res.redirect(303, '/');
    await res.page('pages/organisation-choice', {
      title: res.locals.t('orgchoice.title'),
      organisations,
      current: req.session.activeOrgId ?? null,
      next: safeRedirectTarget(req.query.next, '/'),
      errors: [],
    });
  });

  router.post(CHOOSER, requireMember, async (req, res) => {
    const { values } = readForm(chooseForm, req.body);
    const organisations = res.locals.memberOrganisations as { org_id: string; name: string }[];
    const chosen = organisations.find((o) => o.org_id === values.org_id);
    const next = safeRedirectTarget(values.next, '/');
    if (!chosen) {
      // Not one of this account's organisations (or nothing chosen): refused, nothing changes.
      return res.page(
        'pages/organisation-choice',
        {
          title: res.locals.t('orgchoice.title'),
          organisations,
          current: req.session.activeOrgId ?? null,
          next,
          errors: [
            {
              field: `org-${organisations[0]?.org_id ?? ''}`,
              key: values.org_id ? 'orgchoice.not_yours' : 'orgchoice.required',
            },
          ],
        },
        values.org_id ? 403 : 422,
      );
    }
    req.session.activeOrgId = chosen.org_id;
    await recordAudit(ctx.db, {
      actorUserId: req.user!.id,
      action: 'session.choose_organisation',
      entity: 'user',
      entityId: req.user!.id,
      details: { org_id: chosen.org_id },
    });
    req.session.flash = { kind: 'success', key: 'orgchoice.done', params: { org: chosen.name } };
    res.redirect(303, next);
  });
  return router;
}
