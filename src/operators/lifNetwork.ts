import type { OperatorFunction } from 'rxjs';
import type { NetworkChunk, SpikeChunk, SpikeRaster } from '../core/chunks.ts';
import { ValidationError } from '../core/errors.ts';
import { createLifEngine } from '../snn/lifEngine.ts';
import { createSpikeEvents } from '../snn/lifNetwork.ts';
import type { NetworkSpec } from '../snn/network.ts';
import { runLifBinned } from '../snn/raster.ts';
import { chunkOperator } from './chunkOperator.ts';

/**
 * Run the fixed-point LIF network on each spike chunk (see `snn/lifEngine.ts`). The network's state
 * carries over from chunk to chunk, so chunk boundaries never change the output.
 * @param rasterBinTicks when set, each chunk also carries `raster`: the spikes of every input and
 *   neuron per bin of this many ticks (`snn/raster.ts`; for the live view). Unset (the default),
 *   nothing extra is computed.
 * @example spikes$.pipe(lifNetwork(spec)) → one NetworkChunk per SpikeChunk
 */
export function lifNetwork(spec: NetworkSpec, rasterBinTicks?: number): OperatorFunction<SpikeChunk, NetworkChunk> {
  const rows = [...spec.inputs, ...spec.neurons.map((n) => n.name)];
  return chunkOperator(
    () => ({ engine: createLifEngine(spec), events: createSpikeEvents(0), before: new Float64Array(spec.neurons.length) }),
    (state, chunk: SpikeChunk): NetworkChunk => {
      const { engine } = state;
      const { net } = engine;
      if (chunk.inputCount !== net.inputCount) {
        throw new ValidationError(
          `network "${spec.name}" has ${net.inputCount} inputs but the encoder gives ${chunk.inputCount}`,
        );
      }
      const capacity = chunk.ticks * spec.outputs.length;
      if (state.events.tick.length < capacity) state.events = createSpikeEvents(capacity);
      const before = { spikes: sum(net.spikeCount), ops: net.synapticOps, updates: net.neuronUpdates };
      let count: number;
      let raster: SpikeRaster | undefined;
      if (rasterBinTicks === undefined) {
        count = engine.run(chunk.counts, chunk.ticks, state.events);
      } else {
        const cells: number[] = [];
        count = runLifBinned(engine, chunk.counts, chunk.ticks, chunk.startTick, rasterBinTicks, state.events, state.before, cells);
        raster = { binTicks: rasterBinTicks, tickRateHz: chunk.tickRateHz, rows, cells };
      }
      const result: NetworkChunk = {
        startTick: chunk.startTick,
        tickRateHz: chunk.tickRateHz,
        ticks: chunk.ticks,
        outputTicks: state.events.tick.slice(0, count),
        outputIndex: state.events.output.slice(0, count),
        inputSpikes: chunk.spikeCount,
        neuronSpikes: sum(net.spikeCount) - before.spikes,
        synapticOps: net.synapticOps - before.ops,
        neuronUpdates: net.neuronUpdates - before.updates,
        signal: chunk.samples,
        inputCounts: chunk.counts,
      };
      return raster === undefined ? result : { ...result, raster };
    },
  );
}

function sum(values: Float64Array): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
