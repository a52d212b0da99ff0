import { Observable, type OperatorFunction } from 'rxjs';
import type { QualityChange, SampleChunk, SpikeRaster } from '../core/chunks.ts';
import type { EcgFrame, EcgFrameEvent } from '../core/events.ts';
import { leadingSamples } from '../core/concatArrays.ts';
import {
  createEcgChain,
  ecgChainPrimeSamples,
  filterEcgChain,
  flushEcgChain,
  primeEcgChain,
  runEcgChain,
  type EcgChain,
  type EcgChainOptions,
} from '../detect/ecgChain.ts';

/** The events of a frame with none: shared, frozen (frames are read, never changed). */
const NO_EVENTS: readonly EcgFrameEvent[] = Object.freeze([]);

/**
 * Beats from ECG sample chunks at the network's tick rate: band-pass → delta encoder → LIF
 * network → signal quality → beat detector on each chunk, in one step on reused buffers (see
 * `detect/ecgChain.ts`). One EcgFrame per chunk, with the beats completed in it (and the
 * signal-quality changes decided in it, in time order) and the chunk's spike and operation
 * counts; on completion, a last frame with the beats still waiting for their look-ahead window.
 * A level-adaptive encoder first needs the stream's first block (1 s for ECG): chunks are held
 * until that much has arrived, then all are run and their frames emitted in order (a one-time
 * delay; later chunks pass at once).
 * @param rasterBinTicks when set, each frame also carries `raster`: the spikes of UP, DOWN and
 *   every neuron per bin of this many ticks (`snn/raster.ts`; for the live view)
 * @example samples$.pipe(ecgChain({ bandpass, encoder, network, quality, beats })) → one EcgFrame per chunk
 */
export function ecgChain(options: EcgChainOptions, rasterBinTicks?: number): OperatorFunction<SampleChunk, EcgFrame> {
  const { sampleRateHz, tickRateHz } = options.beats;
  const rows = [...options.network.inputs, ...options.network.neurons.map((n) => n.name)];
  return (source) =>
    new Observable<EcgFrame>((subscriber) => {
      let chain: EcgChain;
      try {
        chain = createEcgChain(options);
      } catch (error) {
        subscriber.error(error);
        return undefined;
      }
      const need = ecgChainPrimeSamples(chain);
      /** Band-passed chunks (copies) waiting for the encoder's first block. */
      let held: SampleChunk[] | undefined = need > 0 ? [] : undefined;
      let heldSamples = 0;
      const beats: number[] = [];
      const changes: QualityChange[] = [];
      let endSample = 0;

      const frame = (startTick: number, signal: Int32Array, ticks: number): EcgFrame => {
        let raster: SpikeRaster | undefined;
        if (rasterBinTicks === undefined) {
          runEcgChain(chain, signal, ticks, beats, changes);
        } else {
          const cells: number[] = [];
          runEcgChain(chain, signal, ticks, beats, changes, { binTicks: rasterBinTicks, startTick, cells });
          raster = { binTicks: rasterBinTicks, tickRateHz, rows, cells };
        }
        const { inputSpikes, neuronSpikes, outputSpikes, synapticOps, neuronUpdates } = chain.last;
        endSample = Math.round(((startTick + ticks) * sampleRateHz) / tickRateHz);
        const events = takeEvents(beats, changes, sampleRateHz, tickRateHz);
        return raster === undefined
          ? { endSample, sampleRateHz, events, outputSpikes, inputSpikes, neuronSpikes, synapticOps, neuronUpdates }
          : { endSample, sampleRateHz, events, outputSpikes, inputSpikes, neuronSpikes, synapticOps, neuronUpdates, raster };
      };
      const release = (): void => {
        const chunks = held ?? [];
        held = undefined;
        const first = leadingSamples(chunks.map((c) => c.samples), need);
        primeEcgChain(chain, first, first.length);
        for (const c of chunks) subscriber.next(frame(c.startSample, c.samples, c.samples.length));
      };
      return source.subscribe({
        next(chunk) {
          try {
            const ticks = chunk.samples.length;
            const signal = filterEcgChain(chain, chunk.samples, ticks);
            if (held !== undefined) {
              held.push({ startSample: chunk.startSample, sampleRateHz: chunk.sampleRateHz, samples: signal.slice(0, ticks) });
              heldSamples += ticks;
              if (heldSamples >= need) release();
              return;
            }
            subscriber.next(frame(chunk.startSample, signal, ticks));
          } catch (error) {
            subscriber.error(error);
          }
        },
        error(error: unknown) {
          subscriber.error(error);
        },
        complete() {
          try {
            if (held !== undefined) release();
            if (flushEcgChain(chain, beats) > 0) {
              const events = takeEvents(beats, changes, sampleRateHz, tickRateHz);
              subscriber.next({ endSample, sampleRateHz, events, outputSpikes: 0, inputSpikes: 0, neuronSpikes: 0, synapticOps: 0, neuronUpdates: 0 });
            }
          } catch (error) {
            subscriber.error(error);
            return;
          }
          subscriber.complete();
        },
      });
    });
}

/** The beats and quality changes as frame events, in time order (beats first at equal times); empties both lists. */
function takeEvents(beats: number[], changes: QualityChange[], sampleRateHz: number, tickRateHz: number): readonly EcgFrameEvent[] {
  if (beats.length === 0 && changes.length === 0) return NO_EVENTS;
  const events: EcgFrameEvent[] = [];
  for (const sample of beats) events.push({ type: 'beat', t: sample / sampleRateHz, sample });
  beats.length = 0;
  if (changes.length === 0) return events;
  for (const change of changes) events.push({ type: 'quality', t: change.tick / tickRateHz, state: change.state });
  changes.length = 0;
  return events.sort((a, b) => a.t - b.t);
}
