// Pages are rendered into the one layout: res.page('pages/login', {...}).
import type { RequestHandler, Response } from 'express';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Response {
      page(view: string, locals?: Record<string, unknown>, status?: number): Promise<void>;
    }
  }
}

function renderView(res: Response, view: string, locals: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) =>
    res.render(view, locals, (err: Error | null, html?: string) => (err ? reject(err) : resolve(html ?? ''))),
  );
}

export function pageRenderer(): RequestHandler {
  return (req, res, next) => {
    res.page = async (view, locals = {}, status = 200) => {
      const flash = req.session?.flash;
      if (flash) delete req.session.flash;
      const body = await renderView(res, view, { ...locals });
      const html = await renderView(res, 'layout', { ...locals, body, flash, currentPath: req.path });
      res.status(status).type('html').send(html);
    };
    next();
  };
}
