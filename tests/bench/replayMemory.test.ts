/**
 * The memory check's record three times as long (src/bench/replayMemory.ts `tripleRecord`): its
 * header written by `formatWfdbHeader` with the sample count and checksum worked out by hand,
 * and its signal read back as three copies of the original.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tripleRecord } from '../../src/bench/replayMemory.ts';
import { readWholeRecord } from '../../src/sources/readWhole.ts';
import { FIXTURE_RECORD } from '../helpers/fixture.ts';

describe('tripleRecord', () => {
  it('the synthetic fixture x3: 3 x 108000 samples, checksum 3 x -30635 as 16 bits, the same signal three times', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'edgespike-triple-'));
    try {
      const path = await tripleRecord(FIXTURE_RECORD, dir);
      const header = await readFile(`${path}.hea`, 'utf8');
      // 3 x -30635 = -91905; + 2 x 65536 = 39167; as signed 16 bits: 39167 - 65536 = -26369.
      expect(header.split('\n').slice(0, 2)).toEqual(['ecgsyn_360hzx3 1 360 324000', 'ecgsyn_360hzx3.dat 212 200(1024)/mV 11 1024 1036 -26369 0 ECGSYN']);
      expect(header).toContain('# seed 20030301');
      const one = (await readWholeRecord(FIXTURE_RECORD)).samples;
      const three = (await readWholeRecord(path)).samples;
      expect(three.length).toBe(3 * one.length);
      for (let k = 0; k < 3; k++) expect(three.subarray(k * one.length, (k + 1) * one.length)).toEqual(one);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
