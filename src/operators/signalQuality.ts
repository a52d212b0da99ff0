import type { MonoTypeOperatorFunction } from 'rxjs';
import type { NetworkChunk } from '../core/chunks.ts';
import { ValidationError } from '../core/errors.ts';
import { createSignalQuality, processSignalQuality, type QualityChange, type SignalQualityOptions } from '../detect/signalQuality.ts';
import { chunkOperator } from './chunkOperator.ts';

/**
 * Decide the signal quality (good, noisy, flat; see `detect/signalQuality.ts`) from each network
 * chunk's conditioned signal and input spikes, and put the changes on the chunk (`quality`).
 * @example network$.pipe(signalQuality(model.quality), detectBeats(...))
 */
export function signalQuality(options: SignalQualityOptions): MonoTypeOperatorFunction<NetworkChunk> {
  return chunkOperator(
    () => createSignalQuality(options),
    (state, chunk: NetworkChunk): NetworkChunk => {
      if (chunk.inputCounts === undefined) throw new ValidationError('signalQuality needs the input spikes on the network chunk');
      const changes: QualityChange[] = [];
      processSignalQuality(state, chunk.signal, chunk.inputCounts, chunk.ticks, changes);
      return changes.length === 0 ? chunk : { ...chunk, quality: changes };
    },
  );
}
