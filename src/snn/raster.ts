/**
 * Run a LIF network chunk bin by bin and count the spikes of every input and neuron per bin: the
 * data of a spike raster (the live view). The network runs on the same ticks in the same order,
 * only in shorter calls, so its state, output spikes and counters are exactly those of one call
 * (chunking never changes results).
 *
 *   count[b][i]     = Σ input[t][i]              over ticks t of bin b (i < inputCount: UP, DOWN)
 *   count[b][I + n] = spikeCount[n] after bin b − spikeCount[n] before it (neuron n)
 *
 * Legend: b bin index = ⌊tick / binTicks⌋ from the stream start; I = inputCount.
 */
import type { LifEngine } from './lifEngine.ts';
import type { LifSpikeEvents } from './lifNetwork.ts';

/**
 * @param engine the network and its engine (`createLifEngine`), updated in place
 * @param input ticks × inputCount spike counts, row-major
 * @param startTick stream tick of `input`'s first row (bins are aligned to the stream, not the chunk)
 * @param binTicks ticks per bin, ≥ 1
 * @param before scratch of at least `net.neuronCount` (caller-owned, reused)
 * @param cells where the non-zero cells go, as flat triples: bin, row, count
 * @returns output spikes written to `events` (as one `engine.run` call would)
 * @example runLifBinned(engine, counts, 8, 0, 4, events, scratch, cells)
 *   // cells then reads e.g. [0, 0, 2, 0, 3, 1, 1, 1, 1]: bin 0 (ticks 0-3) had 2 UP spikes and 1 spike
 *   // of neuron 1 (row 3 = inputCount + 1), bin 1 (ticks 4-7) 1 DOWN spike
 * Cost: one extra pass over the input, one `run` call and O(neurons) per bin; allocates only `cells`
 * (about twice the time of one `run` call on the ECG network).
 */
export function runLifBinned(
  engine: LifEngine,
  input: Uint8Array,
  ticks: number,
  startTick: number,
  binTicks: number,
  events: LifSpikeEvents,
  before: Float64Array,
  cells: number[],
): number {
  if (!(Number.isInteger(binTicks) && binTicks >= 1)) throw new RangeError(`"binTicks" must be an integer >= 1 (got ${binTicks})`);
  const { net } = engine;
  const inputs = net.inputCount;
  const neurons = net.neuronCount;
  let written = 0;
  for (let t = 0; t < ticks; ) {
    const tick = startTick + t;
    const bin = Math.floor(tick / binTicks);
    const n = Math.min(ticks - t, (bin + 1) * binTicks - tick);
    for (let i = 0; i < inputs; i++) {
      let count = 0;
      for (let k = t; k < t + n; k++) count += input[k * inputs + i] as number;
      if (count > 0) cells.push(bin, i, count);
    }
    before.set(net.spikeCount.subarray(0, neurons));
    written += engine.run(input.subarray(t * inputs, (t + n) * inputs), n, { tick: events.tick.subarray(written), output: events.output.subarray(written) });
    for (let j = 0; j < neurons; j++) {
      const count = (net.spikeCount[j] as number) - (before[j] as number);
      if (count > 0) cells.push(bin, inputs + j, count);
    }
    t += n;
  }
  return written;
}
