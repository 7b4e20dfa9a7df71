import { Router } from 'express';
import { databaseAnswers } from '../../foundation/db/database';
import type { AppContext } from '../app';

/** For load balancers and monitoring: 200 when the database answers, else 503. */
export function healthRoutes(ctx: AppContext) {
  const router = Router();
  router.get('/', async (_req, res) => {
    const ok = await databaseAnswers(ctx.db);
    res.set('Cache-Control', 'no-store');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'error', database: ctx.handle.kind });
  });
  return router;
}
