import type { OperatorFunction } from 'rxjs';
import type { NetworkChunk, SpikeChunk } from '../core/chunks.ts';
import { ValidationError } from '../core/errors.ts';
import { createSpikeEvents } from '../snn/lif.ts';
import { createLifRunner } from '../snn/lifCompiled.ts';
import type { NetworkSpec } from '../snn/network.ts';
import { chunkOperator } from './chunkOperator.ts';

/**
 * Run the fixed-point LIF network on each spike chunk (see `snn/lif.ts`). The network's state
 * carries over from chunk to chunk, so chunk boundaries never change the output.
 * @example spikes$.pipe(lifNetwork(spec)) → one NetworkChunk per SpikeChunk
 */
export function lifNetwork(spec: NetworkSpec): OperatorFunction<SpikeChunk, NetworkChunk> {
  return chunkOperator(
    () => ({ ...createLifRunner(spec), events: createSpikeEvents(0) }),
    (state, chunk: SpikeChunk): NetworkChunk => {
      const { net } = state;
      if (chunk.inputCount !== net.inputCount) {
        throw new ValidationError(
          `network "${spec.name}" has ${net.inputCount} inputs but the encoder gives ${chunk.inputCount}`,
        );
      }
      const capacity = chunk.ticks * spec.outputs.length;
      if (state.events.tick.length < capacity) state.events = createSpikeEvents(capacity);
      const before = { spikes: sum(net.spikeCount), ops: net.synapticOps, updates: net.neuronUpdates };
      const count = state.run(net, chunk.counts, chunk.ticks, state.events);
      return {
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
      };
    },
  );
}

function sum(values: Float64Array): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
