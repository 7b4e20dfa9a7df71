import { describe, expect, it } from 'vitest';
import { nonRespondersCsv } from '../../../exports/non-responders-csv';
import { releaseLogCsv } from '../../../exports/release-log-csv';

const lines = (content: string | Buffer) =>
  String(content)
    .replace(/^\ufeff/, '')
    .trim()
    .split('\r\n');

describe('non-responders CSV', () => {
  it('lists each organisation with its contacts and last mail, in the flavour asked for', () => {
    const organisations = [
      {
        org_id: 'K1',
        name: 'Muziekschool',
        org_type: 'muziekschool',
        province: 'Utrecht',
        member: true,
        status: 'draft' as const,
        contacts: ['a@x.nl', 'b@x.nl'],
        last_mail: new Date('2026-03-01T10:00:00Z'),
      },
      {
        org_id: 'K2',
        name: 'Centrum',
        org_type: 'centrum',
        province: 'Drenthe',
        member: false,
        status: 'none' as const,
        contacts: [],
        last_mail: null,
      },
    ];
    const file = nonRespondersCsv('kans-2026', organisations, 'csv');
    expect(file.fileName).toBe('niet-ingediend-kans-2026.csv');
    expect(file.contentType).toBe('text/csv; charset=utf-8');
    const [header, first, second] = lines(file.content);
    expect(header).toBe('org_id,name,org_type,province,member,status,contacts,last_mail');
    expect(first).toBe(
      '"K1","Muziekschool","muziekschool","Utrecht",ja,"draft","a@x.nl b@x.nl","2026-03-01T10:00:00.000Z"',
    );
    expect(second).toBe('"K2","Centrum","centrum","Drenthe",nee,"none","",');
    expect(lines(nonRespondersCsv('kans-2026', organisations, 'csv-nl').content)[1]).toContain('"K1";"Muziekschool"');
  });
});

describe('release log CSV', () => {
  it('writes who (or "cli"), what and which view of each entry', () => {
    const file = releaseLogCsv([
      {
        at: new Date('2026-05-12T09:30:00Z'),
        who: 'staf@kunstconnectie.nl',
        kind: 'publication',
        wave: 'kans-2026',
        view: { stratify: ['org_type', 'province'], by: 'member', questions: ['q1', 'q2'] },
        format: 'public page',
        publication_slug: 'monitor-2026',
        publication_version: 2,
        source: 'web',
      },
      {
        at: new Date('2026-05-13T09:30:00Z'),
        who: null,
        kind: 'export',
        wave: 'kans-2026',
        view: { stratify: [], by: null, questions: [] },
        format: 'csv',
        publication_slug: null,
        publication_version: null,
        source: 'cli',
      },
    ]);
    expect(file.fileName).toBe('impactmonitor-uitgiftes.csv');
    const [header, first, second] = lines(file.content);
    expect(header).toBe('at,who,kind,wave,stratify,by,questions,format,publication,version,organisations');
    expect(first).toBe(
      '"2026-05-12T09:30:00.000Z","staf@kunstconnectie.nl","publication","kans-2026","org_type,province","member","q1,q2","public page","monitor-2026",2,""',
    );
    expect(second).toBe('"2026-05-13T09:30:00.000Z","cli","export","kans-2026","","","","csv","","",""');
  });
});
