// Secrets that must never reach a log or the mail log: single-use link tokens (the
// `token` query parameter) and the session cookie. Whoever reads a reset link
// before its owner can take over the account.

// A CSRF token in an address (a GET search sent from a POST form) is kept out of the log too.
const TOKEN_PARAM = /([?&](?:token|_csrf)=)[^&#\s]*/gi;
const TOKEN_LINK = /\S*[?&]token=[^\s]*/gi;

export const REDACTED = '[verwijderd]';
export const LINK_PLACEHOLDER = '[link weggelaten]';

/** A URL or path with the value of every `token` parameter replaced. */
export function redactUrl(url: string): string {
  return url.replace(TOKEN_PARAM, `$1${REDACTED}`);
}

/** Text (a mail body) with every link that carries a token replaced by a placeholder. */
export function redactLinks(text: string): string {
  return text.replace(TOKEN_LINK, LINK_PLACEHOLDER);
}

interface SerializedRequest {
  url?: string;
  query?: Record<string, unknown>;
  headers?: Record<string, unknown>;
  [key: string]: unknown;
}

/** pino-http's request serializer: no token in url or query, no cookie or CSRF header. */
export function redactRequest(req: SerializedRequest): SerializedRequest {
  const out: SerializedRequest = { ...req };
  if (typeof out.url === 'string') out.url = redactUrl(out.url);
  if (out.query && typeof out.query === 'object') {
    const query = { ...out.query };
    for (const name of ['token', '_csrf']) if (name in query) query[name] = REDACTED;
    out.query = query;
  }
  if (out.headers) {
    const headers = { ...out.headers };
    for (const name of ['cookie', 'x-csrf-token', 'authorization']) if (name in headers) headers[name] = REDACTED;
    out.headers = headers;
  }
  return out;
}

/** pino-http's response serializer: no Set-Cookie (the session id). */
export function redactResponse(res: { headers?: Record<string, unknown>; [key: string]: unknown }) {
  if (!res.headers || !('set-cookie' in res.headers)) return res;
  return { ...res, headers: { ...res.headers, 'set-cookie': REDACTED } };
}
