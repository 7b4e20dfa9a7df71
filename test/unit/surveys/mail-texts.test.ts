import { describe, expect, it } from 'vitest';
import { checkMailText, fillMailText } from '../../../surveys/waves/mail-texts';

describe('a wave message text', () => {
  it('accepts the known placeholders, in any case and with spaces', () => {
    expect(
      checkMailText('Beste {naam}, voor { Organisatie } vóór {sluitdatum}: {link} — {afzender}, {meting}'),
    ).toEqual([]);
  });

  it('names an unknown placeholder, a stray brace and a missing link', () => {
    expect(checkMailText('Beste {name}, {link}')).toEqual([
      {
        key: 'mailtext.unknown_placeholder',
        params: { found: '{name}', known: '{naam}, {organisatie}, {meting}, {sluitdatum}, {link}, {afzender}' },
      },
    ]);
    expect(checkMailText('Beste {naam, {link}').map((e) => e.key)).toEqual(['mailtext.brace']);
    expect(checkMailText('Beste } {link}').map((e) => e.key)).toEqual(['mailtext.brace']);
    expect(checkMailText('Beste {naam}').map((e) => e.key)).toEqual(['mailtext.link_required']);
    expect(checkMailText(`${'x'.repeat(5001)}{link}`).map((e) => e.key)).toEqual(['mailtext.too_long']);
  });

  it('fills in the values as plain text, leaving markup as typed', () => {
    const values = {
      naam: 'Anna',
      organisatie: 'A en B',
      meting: 'Mei',
      sluitdatum: '31 mei 2020',
      link: 'L',
      afzender: 'Vereniging',
    };
    expect(fillMailText('<b>{naam}</b> {ORGANISATIE} {link}\n{afzender}', values)).toBe(
      '<b>Anna</b> A en B L\nVereniging',
    );
  });
});
