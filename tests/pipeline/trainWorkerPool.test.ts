/**
 * Gradient workers on threads compute what the in-process workers compute: a training with
 * the same seed and worker count gives bit-identical parameters and the same history either way.
 */
import { describe, expect, it } from 'vitest';
import { threadWorkers } from '../../src/pipeline/trainWorkerPool.ts';
import { inProcessWorkers } from '../../src/snn/train/gradientWorkers.ts';
import { trainRsnn } from '../../src/snn/train/trainer.ts';
import { SEPARABLE_OPTIONS, separableSet } from '../helpers/separableSet.ts';

describe('threadWorkers', () => {
  for (const count of [1, 2]) {
    it(`${count} thread${count === 1 ? '' : 's'}: bit-identical to ${count} in-process worker${count === 1 ? '' : 's'}, float and quantization-aware epochs`, async () => {
      const options = { ...SEPARABLE_OPTIONS, epochs: 2, qatEpochs: 1 };
      const threads = await trainRsnn(separableSet(), options, threadWorkers(count));
      const inProcess = await trainRsnn(separableSet(), options, inProcessWorkers(count));
      expect(Buffer.from(threads.params.data.buffer).equals(Buffer.from(inProcess.params.data.buffer))).toBe(true);
      expect(threads.history).toEqual(inProcess.history);
    });
  }
});
