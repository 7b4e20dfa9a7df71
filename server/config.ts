// Configuration comes from the environment only (12-factor), read once at start.
import path from 'node:path';

export interface AppConfig {
  port: number;
  /** PostgreSQL connection string; when absent the embedded PGlite database is used. */
  databaseUrl: string | null;
  /** Where PGlite keeps its data, the mail outbox and uploads in progress. */
  dataDir: string;
  /** Secret for signing the session cookie. */
  sessionSecret: string;
  /** Behind a TLS-terminating proxy: trust X-Forwarded-* and mark cookies Secure. */
  trustProxy: boolean;
  smtpUrl: string | null;
  mailFrom: string;
  /** The association's name: the sender named under invitations and reminders (ASSOCIATION_NAME). */
  associationName: string;
  /** Absolute base URL used in links inside e-mails. */
  publicUrl: string;
  logLevel: string;
  /** 'json' for log collectors, 'pretty' for a person at a terminal (LOG_FORMAT; default: pretty on a terminal outside production). */
  logFormat: 'json' | 'pretty';
  uploadLimitBytes: number;
  sessionMaxAgeHours: number;
  /** A login ends this long after it began, however active the session. */
  sessionAbsoluteHours: number;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const port = Number(env.PORT ?? 3000);
  const dataDir = path.resolve(env.IMPACT_DATA_DIR ?? path.join(process.cwd(), 'data'));
  return {
    port,
    databaseUrl: env.DATABASE_URL || null,
    dataDir,
    sessionSecret: env.SESSION_SECRET || '',
    trustProxy: ['1', 'true', 'yes'].includes((env.TRUST_PROXY ?? '').toLowerCase()),
    smtpUrl: env.SMTP_URL || null,
    mailFrom: env.MAIL_FROM || 'Impactmonitor <noreply@impactmonitor.local>',
    associationName: (env.ASSOCIATION_NAME ?? '').trim().slice(0, 200) || 'De brancheorganisatie',
    publicUrl: (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, ''),
    logLevel: env.LOG_LEVEL || 'info',
    logFormat:
      env.LOG_FORMAT === 'json' || env.LOG_FORMAT === 'pretty'
        ? env.LOG_FORMAT
        : process.stdout.isTTY && env.NODE_ENV !== 'production'
          ? 'pretty'
          : 'json',
    uploadLimitBytes: Number(env.UPLOAD_LIMIT_MB ?? 50) * 1024 * 1024,
    sessionMaxAgeHours: Number(env.SESSION_MAX_AGE_HOURS ?? 12),
    sessionAbsoluteHours: Number(env.SESSION_ABSOLUTE_HOURS ?? 12),
  };
}

/** PGlite's own files live in a sub-directory so the outbox and lock sit beside them. */
export function pgliteDir(config: Pick<AppConfig, 'dataDir'>): string {
  return path.join(config.dataDir, 'pglite');
}

export function outboxDir(config: Pick<AppConfig, 'dataDir'>): string {
  return path.join(config.dataDir, 'outbox');
}
