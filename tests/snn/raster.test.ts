import { describe, expect, it } from 'vitest';
import { loadEcgModel } from '../../src/pipeline/ecgModel.ts';
import { encodeEcg } from '../../src/pipeline/ecgKernels.ts';
import { createLifEngine } from '../../src/snn/lifEngine.ts';
import { createSpikeEvents } from '../../src/snn/lifNetwork.ts';
import { runLifBinned } from '../../src/snn/raster.ts';
import { FIXTURE_RECORD, readRecord } from '../helpers/fixture.ts';

const model = loadEcgModel();

describe('runLifBinned', () => {
  it('leaves the network exactly as one call would, and its cells count every input and neuron spike per bin, at any chunk size', async () => {
    const { samples } = await readRecord(FIXTURE_RECORD);
    const encoded = encodeEcg(model, samples.subarray(0, 360 * 20));
    const ticks = encoded.signal.length;
    const outputs = model.network.outputs.length;

    const whole = createLifEngine(model.network);
    const wholeEvents = createSpikeEvents(ticks * outputs);
    const wholeCount = whole.run(encoded.spikes, ticks, wholeEvents);

    let reference: Map<string, number> | undefined;
    for (const chunkTicks of [ticks, 7, 512]) {
      const binned = createLifEngine(model.network);
      const events = createSpikeEvents(ticks * outputs);
      const before = new Float64Array(binned.net.neuronCount);
      const perCell = new Map<string, number>();
      let written = 0;
      for (let t = 0; t < ticks; t += chunkTicks) {
        const n = Math.min(chunkTicks, ticks - t);
        const cells: number[] = [];
        const scratch = { tick: events.tick.subarray(written), output: events.output.subarray(written) };
        written += runLifBinned(binned, encoded.spikes.subarray(2 * t, 2 * (t + n)), n, t, 4, scratch, before, cells);
        for (let k = 0; k < cells.length; k += 3) {
          const [bin, row, count] = cells.slice(k, k + 3) as [number, number, number];
          expect(bin * 4).toBeLessThan(t + n);
          expect((bin + 1) * 4).toBeGreaterThan(t);
          perCell.set(`${bin},${row}`, (perCell.get(`${bin},${row}`) ?? 0) + count);
        }
      }
      expect(written).toBe(wholeCount);
      expect(events.tick.subarray(0, written)).toEqual(wholeEvents.tick.subarray(0, wholeCount));
      expect(binned.net.membrane).toEqual(whole.net.membrane);
      expect(binned.net.spikeCount).toEqual(whole.net.spikeCount);
      expect(binned.net.synapticOps).toBe(whole.net.synapticOps);

      // Row sums: UP, DOWN from the encoder; each neuron's total from the network.
      const rowSum = (row: number): number => [...perCell.entries()].filter(([key]) => key.endsWith(`,${row}`)).reduce((s, [, c]) => s + c, 0);
      let up = 0;
      let down = 0;
      for (let t = 0; t < ticks; t++) {
        up += encoded.spikes[2 * t] as number;
        down += encoded.spikes[2 * t + 1] as number;
      }
      expect(rowSum(0)).toBe(up);
      expect(rowSum(1)).toBe(down);
      expect(up + down).toBe(encoded.spikeCount);
      for (let j = 0; j < binned.net.neuronCount; j++) expect(rowSum(2 + j)).toBe(whole.net.spikeCount[j]);
      if (reference === undefined) reference = perCell;
      else expect(perCell).toEqual(reference);
    }
  });

  it('refuses a bin of less than one tick, saying so', () => {
    const engine = createLifEngine(model.network);
    expect(() => runLifBinned(engine, new Uint8Array(2), 1, 0, 0, createSpikeEvents(1), new Float64Array(engine.net.neuronCount), [])).toThrow('"binTicks" must be an integer >= 1 (got 0)');
  });
});
