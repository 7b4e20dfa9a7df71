// Imports point one way: foundation ← register ← accounts, surveys ← analysis ← exports ← server.
// A module that imports upward makes foundation depend on the application; this test
// names every such import so the layering in README and ARCHITECTURE.md stays true.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = normalize(join(__dirname, '../../..'));
const LAYERS: Record<string, number> = {
  foundation: 0,
  'views/i18n': 0, // the texts: every layer may name them
  'views/static': 0, // the chart plugin shared by browser, PDF and PNG
  register: 1, // the population register: organisations, contacts, the frame
  accounts: 2,
  surveys: 2, // questionnaires, waves and responses
  analysis: 3, // estimates over the responses: reads surveys/, never the other way
  exports: 4,
  server: 5,
};

function layerOf(path: string): number | undefined {
  const key = Object.keys(LAYERS)
    .sort((a, b) => b.length - a.length)
    .find((k) => path === k || path.startsWith(`${k}/`));
  return key === undefined ? undefined : LAYERS[key];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

describe('layers', () => {
  it('has no import from a lower layer to a higher one', () => {
    const upward: string[] = [];
    for (const file of ['foundation', 'register', 'accounts', 'surveys', 'analysis', 'exports'].flatMap(sourceFiles)) {
      const own = layerOf(file)!;
      for (const [, spec] of readFileSync(join(ROOT, file), 'utf8').matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
        const target = relative(ROOT, normalize(join(ROOT, dirname(file), spec)));
        const layer = layerOf(target);
        if (layer !== undefined && layer > own) upward.push(`${file} → ${target}`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('knows the layer of every source directory', () => {
    const top = ['foundation', 'register', 'accounts', 'surveys', 'analysis', 'exports', 'server'];
    for (const dir of top) expect(sourceFiles(dir).length).toBeGreaterThan(0);
  });
});
