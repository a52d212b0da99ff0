import { describe, expect, it } from 'vitest';
import { createLifNetwork, createSpikeEvents, processLifChunkReference } from '../../src/snn/lif.ts';
import { compileLifChunkFunction } from '../../src/snn/lifCompiled.ts';
import { parseNetwork } from '../../src/snn/network.ts';
import { randomInput, randomNetwork } from '../helpers/randomNetwork.ts';

describe('compiled LIF engine', () => {
  it('matches the reference engine bit for bit on random networks, in odd chunks', () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const spec = randomNetwork(seed);
      const ticks = 4000;
      const input = randomInput(seed + 100, ticks);
      const a = createLifNetwork(spec);
      const b = createLifNetwork(spec);
      const run = compileLifChunkFunction(spec);
      const sizes = [1, 17, 500, 3, 1024];
      let t = 0;
      let k = 0;
      let total = 0;
      while (t < ticks) {
        const size = Math.min(sizes[k++ % sizes.length] as number, ticks - t);
        const ea = createSpikeEvents(size * 6);
        const eb = createSpikeEvents(size * 6);
        const slice = input.subarray(t * 3, (t + size) * 3);
        const na = processLifChunkReference(a, slice, size, ea);
        const nb = run(b, slice, size, eb);
        expect(nb).toBe(na);
        expect(Array.from(eb.tick.subarray(0, nb))).toEqual(Array.from(ea.tick.subarray(0, na)));
        expect(Array.from(eb.output.subarray(0, nb))).toEqual(Array.from(ea.output.subarray(0, na)));
        total += na;
        t += size;
      }
      expect(total).toBeGreaterThan(50);
      expect(Array.from(b.membrane)).toEqual(Array.from(a.membrane));
      expect(Array.from(b.exc)).toEqual(Array.from(a.exc));
      expect(Array.from(b.inh)).toEqual(Array.from(a.inh));
      expect(Array.from(b.refractoryLeft)).toEqual(Array.from(a.refractoryLeft));
      expect(Array.from(b.spikeCount)).toEqual(Array.from(a.spikeCount));
      expect(Array.from(b.pending)).toEqual(Array.from(a.pending));
      expect(b.synapticOps).toBe(a.synapticOps);
      expect(b.neuronUpdates).toBe(a.neuronUpdates);
      expect(b.tick).toBe(a.tick);
    }
  });

  it('saturates like the reference engine (8-bit states)', () => {
    const spec = parseNetwork({
      format: 'edgespike-network',
      version: 1,
      stateBits: 8,
      inputs: ['in'],
      neurons: [{ name: 'n', threshold: 127, memShift: 30 }],
      synapses: [{ from: 'in', to: 'n', weight: 100 }],
      outputs: ['n'],
    });
    const net = createLifNetwork(spec);
    const events = createSpikeEvents(4);
    const n = compileLifChunkFunction(spec)(net, Uint8Array.from([1, 1, 0, 0]), 4, events);
    // 100, then 200 → 127 (saturated) → fires at tick 1.
    expect(Array.from(events.tick.subarray(0, n))).toEqual([1]);
  });
});
