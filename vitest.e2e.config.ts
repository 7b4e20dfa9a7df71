import { defineConfig } from 'vitest/config';

// Browser tests: playwright-core driving Debian's /usr/bin/chromium against the
// real app started on a free port (README "Tests").
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    // The every-page walk visits every page with axe: minutes on a busy two-core machine.
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
