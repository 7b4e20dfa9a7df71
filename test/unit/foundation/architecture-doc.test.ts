// The documents a newcomer reads first stay true: every table of the schema is
// described in ARCHITECTURE.md's data model, and every file or folder README.md and
// ARCHITECTURE.md name (a path with a slash, or a relative link) exists.
import { existsSync, readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = normalize(join(__dirname, '../../..'));
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

function tablesOfSchema(): string[] {
  const schema = read('foundation/db/schema.ts');
  const database = schema.slice(schema.indexOf('export interface Database {'));
  return [...database.slice(0, database.indexOf('}')).matchAll(/^\s+([a-z_]+): [A-Za-z]+Table;/gm)].map((m) => m[1]);
}

const TOP_LEVEL = [
  'foundation',
  'register',
  'accounts',
  'surveys',
  'analysis',
  'exports',
  'server',
  'views',
  'test',
  'bin',
  '.ci',
];

/** Repository paths a document names (`server/app.ts`, `foundation/db/migrations/`) and its relative links. */
function namedPaths(doc: string): string[] {
  const code = [...doc.matchAll(/`([A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*\/[A-Za-z0-9_.-]*)`/g)].map((m) => m[1]);
  const links = [...doc.matchAll(/\]\(([^)#:\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]);
  // Only paths into the tree: URL paths of the app (/beheer/…), data folders made at run time
  // (./data/pglite) and media types are not files of the repository.
  return [...code.filter((p) => TOP_LEVEL.includes(p.split('/')[0])), ...links.filter((p) => !p.startsWith('../'))];
}

describe('the documents describe the repository as it is', () => {
  it('names every table of the schema in the data model of ARCHITECTURE.md', () => {
    const tables = tablesOfSchema();
    expect(tables.length).toBeGreaterThan(20);
    const model = read('ARCHITECTURE.md').split('## Data model')[1].split('\n## ')[0];
    expect(tables.filter((t) => !model.includes(`\`${t}\``))).toEqual([]);
  });

  it.each(['README.md', 'ARCHITECTURE.md'])('%s names only files and folders that exist', (file) => {
    const paths = namedPaths(read(file));
    expect(paths.length).toBeGreaterThan(10);
    expect(paths.filter((p) => !existsSync(join(ROOT, p)))).toEqual([]);
  });

  it('links only inside the repository (no ../shared design documents)', () => {
    for (const file of ['README.md', 'ARCHITECTURE.md']) expect(read(file)).not.toMatch(/\]\(\.\.\//);
  });
});
