import { Router } from 'express';
import { loadStaffDashboard } from '../../exports/staff-dashboard';
import { surveysForOrganisation } from '../../surveys/member-surveys';
import type { AppContext } from '../app';
import { requireLogin } from '../web/auth';

export function homeRoutes(ctx: AppContext) {
  const router = Router();
  router.get('/', requireLogin, async (req, res) => {
    const user = req.user!;
    if (user.role === 'member') {
      const [organisation, surveys] = await Promise.all([
        ctx.db
          .selectFrom('organisations')
          .select(['org_id', 'name'])
          .where('org_id', '=', user.org_id!)
          .executeTakeFirst(),
        surveysForOrganisation(ctx.db, user.org_id!),
      ]);
      return res.page('pages/home-member', { organisation, surveys });
    }
    // Staff and administrators: the dashboard of open waves, publications and shortcuts.
    await res.page('pages/home-staff', { dashboard: await loadStaffDashboard(ctx.db) });
  });
  return router;
}
