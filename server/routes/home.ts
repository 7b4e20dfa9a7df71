import { Router } from 'express';
import { loadStaffDashboard } from '../../exports/staff-dashboard';
import { memberHome } from '../../surveys/member-surveys';
import type { AppContext } from '../app';
import { requireLogin } from '../web/auth';

export function homeRoutes(ctx: AppContext) {
  const router = Router();
  router.get('/', requireLogin, async (req, res) => {
    const user = req.user!;
    if (user.role === 'member') {
      const home = await memberHome(ctx.db, user.org_id!);
      return res.page('pages/home-member', { ...home });
    }
    // Staff and administrators: the dashboard of open waves, publications and shortcuts.
    await res.page('pages/home-staff', { dashboard: await loadStaffDashboard(ctx.db) });
  });
  return router;
}
