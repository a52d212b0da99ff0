/**
 * The replay output of the fixtures is bit-exact with the code before the speed work of issue 15:
 * the real command's output hashed as `npm run bitexact -- --quick` does, against
 * fixtures/bitexact/replay-sha256.json (written by the unchanged code, never by this test).
 * The 24 MIT-BIH records are checked by `npm run bitexact` (about a minute).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers/datasets.ts';
import { hashReplayOutput, normalizeReplayOutput, REPLAY_CASES, runReplayCase, type ReplayHash } from '../../scripts/bitexact/replayHashes.ts';

const reference = (JSON.parse(readFileSync(join(PROJECT_ROOT, 'fixtures', 'bitexact', 'replay-sha256.json'), 'utf8')) as { hashes: Record<string, ReplayHash> }).hashes;

describe('replay hashing', () => {
  it('zeroes only the summary fields that measure the machine', () => {
    const line = '{"type":"summary","beats":2,"processingSeconds":0.349,"peakRssMb":112.6,"xRealTime":25,"quality":{}}\n';
    expect(normalizeReplayOutput(line)).toBe('{"type":"summary","beats":2,"processingSeconds":0,"peakRssMb":0,"xRealTime":0,"quality":{}}\n');
    expect(hashReplayOutput('{"type":"beat","t":1,"sample":360}\n{"type":"hr","t":1,"bpm":60}\n')).toMatchObject({ events: 1, lines: 2 });
    // SHA-256 of the empty string.
    expect(hashReplayOutput('').sha256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('replay --speed max --format jsonl on the fixtures', () => {
  for (const c of REPLAY_CASES.filter((x) => x.quick)) {
    it(`${c.name}: the reference hash`, { timeout: 60_000 }, async () => {
      const want = reference[c.name];
      expect(want).toBeDefined();
      const { sha256, events } = await runReplayCase(PROJECT_ROOT, c);
      expect({ sha256, events }).toEqual({ sha256: want?.sha256, events: want?.events });
    });
  }
});
