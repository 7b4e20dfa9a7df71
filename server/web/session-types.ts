import 'express-session';
import type { SurveyDefinition } from '../../surveys/definition-schema';
import type { Locale } from '../../views/i18n/index';

declare module 'express-session' {
  interface SessionData {
    userId?: number;
    /** When the user logged in (ms since epoch), for the absolute session lifetime. */
    loginAt?: number;
    /** Where and with what the login happened, shown on the account page. */
    ip?: string;
    userAgent?: string;
    csrfToken?: string;
    /** A contacts CSV that passed its check, waiting for "Importeren" on the Populatie page. */
    contactsUpload?: { year: number; fileName: string; csv: string };
    /** The organisation a member with several answers for now (checked against its links on every request). */
    activeOrgId?: string;
    locale?: Locale;
    /** One message shown on the next page (after a redirect). */
    /** An uploaded questionnaire waiting for the user to confirm it as a new version (nothing stored yet). */
    surveyUpload?: { definition: SurveyDefinition; fileName: string; warnings?: string[] };
    flash?: { kind: 'success' | 'info' | 'error'; key: string; params?: Record<string, string | number> };
  }
}
