import { Router } from 'express';
import { sql } from 'kysely';
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
    const counts = await ctx.db
      .selectFrom('users')
      .select(['role', sql<number>`count(*)::int`.as('n')])
      .groupBy('role')
      .execute();
    const byRole = Object.fromEntries(counts.map((row) => [row.role, Number(row.n)]));
    await res.page('pages/home-staff', { byRole });
  });
  return router;
}
