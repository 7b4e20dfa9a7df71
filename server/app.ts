// Composition of the web app: middleware in order, then the routes per area.

import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import session from 'express-session';
import helmet from 'helmet';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import './web/session-types';
import { settingOrInsert } from '../foundation/db/app-settings-repository';
import type { DatabaseHandle } from '../foundation/db/database';
import type { Database } from '../foundation/db/schema';
import { MailQueue } from '../foundation/mail/mail-queue';
import { createMailer, type Mailer } from '../foundation/mail/mailer';
import { redactRequest, redactResponse } from '../foundation/redact';
import type { AppConfig } from './config';
import { outboxDir } from './config';
import { accountRoutes } from './routes/account';
import { authRoutes, firstRunGate } from './routes/auth';
import { bestPracticeRoutes } from './routes/best-practices';
import { branchRoutes } from './routes/branch';
import { dataEditingRoutes } from './routes/data-editing';
import { frameRoutes } from './routes/frame';
import { frameContactsRoutes } from './routes/frame-contacts';
import { healthRoutes } from './routes/health';
import { homeRoutes } from './routes/home';
import { localeRoutes } from './routes/locale';
import { mailRoutes } from './routes/mail';
import { memberSurveyRoutes } from './routes/member-survey';
import { organisationChoiceRoutes, organisationGate } from './routes/organisation-choice';
import { publicResultRoutes } from './routes/public-results';
import { reportRoutes } from './routes/reports';
import { surveyEditorRoutes } from './routes/survey-editor';
import { surveyRoutes } from './routes/surveys';
import { userAdminRoutes } from './routes/users';
import { waveTextRoutes } from './routes/wave-texts';
import { waveRoutes } from './routes/waves';
import { loadUser, sessionCookieName } from './web/auth';
import { BODY_LIMIT_BYTES, bodyLimits } from './web/body-limits';
import { csrfProtection } from './web/csrf';
import { errorHandler, notFoundHandler } from './web/error-handler';
import { localeMiddleware } from './web/locale';
import { rejectNulBytes } from './web/reject-control-characters';
import { pageRenderer } from './web/render';
import { DatabaseSessionStore } from './web/session-store';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface AppContext {
  db: Kysely<Database>;
  handle: DatabaseHandle;
  config: AppConfig;
  logger: Logger;
  mailer: Mailer;
  /** Requests queue mail here; serve() starts its worker. */
  mailQueue: MailQueue;
}

/** The session secret: from SESSION_SECRET, else generated once and kept in the database (shared by all instances). */
async function sessionSecret(db: Kysely<Database>, configured: string): Promise<string> {
  if (configured) return configured;
  return settingOrInsert(db, 'session_secret', randomBytes(32).toString('base64url'));
}

export async function createApp(options: {
  handle: DatabaseHandle;
  config: AppConfig;
  logger: Logger;
  mailer?: Mailer;
  mailQueue?: MailQueue;
}) {
  const { handle, config, logger } = options;
  const db = handle.db;
  const mailer =
    options.mailer ??
    createMailer({ db, smtpUrl: config.smtpUrl, from: config.mailFrom, outboxDir: outboxDir(config) });
  const mailQueue = options.mailQueue ?? new MailQueue({ db, mailer, logger });
  const ctx: AppContext = { db, handle, config, logger, mailer, mailQueue };

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy ? 1 : false);
  app.set('view engine', 'ejs');
  app.set('views', path.join(root, 'views'));
  app.locals.ctx = ctx;

  app.use(requestLogger(logger));
  app.use(securityHeaders(config));

  app.use('/static', express.static(path.join(root, 'views', 'static'), { maxAge: '1h', index: false }));
  // chart.js served from our own origin: nothing comes from a CDN.
  app.get('/static/vendor/chart.umd.min.js', (_req, res) =>
    res.sendFile(path.join(root, 'node_modules', 'chart.js', 'dist', 'chart.umd.min.js'), { maxAge: '1h' }),
  );
  app.use('/health', healthRoutes(ctx));

  const secret = await useSessions(app, ctx);

  app.use(bodyLimits());
  app.use(express.urlencoded({ extended: false, limit: BODY_LIMIT_BYTES, parameterLimit: 2000 }));
  app.use(express.json({ limit: BODY_LIMIT_BYTES }));
  app.use(localeMiddleware(config.trustProxy));
  app.use(pageRenderer());
  app.use(csrfProtection({ secret, trustProxy: config.trustProxy }));
  app.use(rejectNulBytes());
  app.use(loadUser(db, config.sessionAbsoluteHours * 3_600_000));
  // Pages and downloads for a logged-in user hold personal or unpublished data:
  // no browser or proxy cache may keep them.
  app.use((req, res, next) => {
    if (req.user) res.set('Cache-Control', 'no-store');
    next();
  });

  useRoutes(app, ctx);

  app.use(notFoundHandler());
  app.use(errorHandler());
  return app;
}

/** One log line per request (not for /health and static files), with a request id; secrets redacted. */
function requestLogger(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (_req, res) => {
      const id = randomBytes(8).toString('hex');
      res.setHeader('X-Request-Id', id);
      return id;
    },
    autoLogging: { ignore: (req) => req.url === '/health' || (req.url ?? '').startsWith('/static/') },
    // Link tokens and the session cookie never reach the log.
    serializers: { req: redactRequest, res: redactResponse },
  });
}

/** Security headers: a strict content security policy, HSTS behind the TLS proxy. */
function securityHeaders(config: AppConfig) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(config.trustProxy ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: config.trustProxy ? undefined : false,
  });
}

/** Sessions in the database, pruned every hour; returns the secret the CSRF tokens use too. */
async function useSessions(app: express.Express, { db, config, logger }: AppContext): Promise<string> {
  const store = new DatabaseSessionStore(db, config.sessionMaxAgeHours * 3_600_000);
  const secret = await sessionSecret(db, config.sessionSecret);
  app.use(
    session({
      name: sessionCookieName(config.trustProxy),
      secret,
      store,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      proxy: config.trustProxy,
      cookie: {
        httpOnly: true,
        sameSite: 'lax',
        // Behind the TLS proxy the cookie is only ever sent over HTTPS (a plain-HTTP
        // request gets no session at all); __Host- requires Secure and path /.
        secure: config.trustProxy,
        path: '/',
        maxAge: config.sessionMaxAgeHours * 3_600_000,
      },
    }),
  );
  const pruneTimer = setInterval(
    () => store.prune().catch((err) => logger.warn({ err }, 'session prune failed')),
    3_600_000,
  );
  pruneTimer.unref();
  return secret;
}

/** Every route module, in the order their paths are matched. */
function useRoutes(app: express.Express, ctx: AppContext) {
  const { config } = ctx;
  app.use(localeRoutes(config.trustProxy));
  app.use(firstRunGate(ctx));
  app.use(authRoutes(ctx));
  app.use(organisationChoiceRoutes(ctx));
  app.use(organisationGate());
  app.use(bestPracticeRoutes(ctx));
  app.use(publicResultRoutes(ctx));
  app.use(homeRoutes(ctx));
  app.use(accountRoutes(ctx));
  app.use(userAdminRoutes(ctx));
  app.use(mailRoutes(ctx));
  app.use(frameRoutes(ctx));
  app.use(frameContactsRoutes(ctx));
  app.use(branchRoutes(ctx));
  app.use(waveRoutes(ctx));
  app.use(waveTextRoutes(ctx));
  app.use(dataEditingRoutes(ctx));
  app.use(memberSurveyRoutes(ctx));
  app.use(surveyEditorRoutes(ctx));
  app.use(surveyRoutes(ctx));
  app.use(reportRoutes(ctx));
}
