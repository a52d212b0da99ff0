import type { OperatorFunction } from 'rxjs';
import type { CochleaChunk, SampleChunk } from '../core/chunks.ts';
import { ValidationError } from '../core/errors.ts';
import { createSlab } from '../core/slab.ts';
import { cochleaTicksFor, createCochlea, processCochlea } from '../filterbank/cochlea.ts';
import type { FrontEndSpec } from '../filterbank/frontEnd.ts';
import { chunkOperator } from './chunkOperator.ts';


/**
 * Run the integer cochlea on each chunk (see `filterbank/cochlea.ts`): band-pass bank,
 * envelopes, log compression, one delta modulator per channel. A tick may straddle chunks; a
 * chunk that completes no tick gives a chunk of 0 ticks (its samples still count).
 * @param frontEnd the front end the network was trained on; chunks must come at its rate
 * @example 8 kHz chunks of 512 samples, digits front end (64 samples a tick) → 8 ticks × 64 counts each
 * @throws (to the subscriber) ValidationError for a chunk at another rate: resample first
 */
export function cochleaSpikes(frontEnd: FrontEndSpec): OperatorFunction<SampleChunk, CochleaChunk> {
  return chunkOperator(
    () => ({ cochlea: createCochlea(frontEnd), slab: createSlab(Uint8Array) }),
    (state, chunk: SampleChunk): CochleaChunk => {
      if (chunk.sampleRateHz !== frontEnd.sampleRateHz) {
        throw new ValidationError(
          `the cochlea front end "${frontEnd.name}" takes ${frontEnd.sampleRateHz} Hz but got ${chunk.sampleRateHz} Hz; resample first`,
        );
      }
      const { cochlea } = state;
      const startTick = cochlea.ticksOut;
      const inputCount = 2 * frontEnd.channels;
      const counts = state.slab.take(cochleaTicksFor(cochlea, chunk.samples.length) * inputCount);
      const ticks = processCochlea(cochlea, chunk.samples, chunk.samples.length, counts);
      return { startTick, ticks, inputCount, counts, endSample: cochlea.samplesIn, sampleRateHz: frontEnd.sampleRateHz };
    },
  );
}
