import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // vitest runs one file at a time on a 2-core machine by default (cores - 1), but many of
    // the slowest files mostly wait: paced replays, pseudo-terminals, a browser, child
    // processes. Two files at a time keep both cores busy.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
