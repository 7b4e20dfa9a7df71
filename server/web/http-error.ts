/** An error with an HTTP status and a message key the user can read. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly messageKey: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(messageKey);
    this.name = 'HttpError';
  }
}

export const notFound = () => new HttpError(404, 'error.not_found');
export const forbidden = () => new HttpError(403, 'error.forbidden');
