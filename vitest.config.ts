import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // vitest runs one file at a time on a 2-core machine by default (cores - 1), but many of
    // the slowest files mostly wait: paced replays, pseudo-terminals, a broker, a browser, child
    // processes. One file more than there are cores keeps the cores busy while one waits (on 2
    // cores: 356 s for the whole suite with 3 files at a time, 485 s with 2).
    maxWorkers: Math.max(3, availableParallelism() + 1),
  },
});
