import { Router } from 'express';
import { sql } from 'kysely';
import type { AppContext } from '../app';
import { requireLogin } from '../web/auth';

export function homeRoutes(ctx: AppContext) {
  const router = Router();
  router.get('/', requireLogin, async (req, res) => {
    const user = req.user!;
    if (user.role === 'member') {
      return res.page('pages/home-member', { surveys: [] });
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
