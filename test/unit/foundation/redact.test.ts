import { describe, expect, it } from 'vitest';
import { redactRequest, redactUrl } from '../../../foundation/redact';

describe('redacting secrets from logged addresses', () => {
  it('removes link tokens and CSRF tokens from a URL and its parsed query', () => {
    expect(redactUrl('/wachtwoord-instellen?kind=invite&token=abc123')).toBe(
      '/wachtwoord-instellen?kind=invite&token=[verwijderd]',
    );
    expect(redactUrl('/beheer/gebruikers?_csrf=s3cr3t&org_zoek=tilburg')).toBe(
      '/beheer/gebruikers?_csrf=[verwijderd]&org_zoek=tilburg',
    );
    const req = redactRequest({ url: '/x?_csrf=a', query: { _csrf: 'a', org_zoek: 'b' } });
    expect(req.query).toEqual({ _csrf: '[verwijderd]', org_zoek: 'b' });
    expect(req.url).toBe('/x?_csrf=[verwijderd]');
  });
});
