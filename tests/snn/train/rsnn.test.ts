import { describe, expect, it } from 'vitest';
import { backward, createWork, crossEntropy, forward, paramCount, paramsView, type Clip, type RsnnShape } from '../../../src/snn/train/rsnn.ts';
import { mulberry32 } from '../../helpers/deviceStreams.ts';
import { adamStep, createAdam } from '../../../src/snn/train/adam.ts';

function setup(seed: number) {
  const shape: RsnnShape = { inputs: 6, hidden: 5, classes: 3 };
  const r = mulberry32(seed);
  const data = new Float32Array(paramCount(shape));
  const p = paramsView(shape, data);
  for (let i = 0; i < p.wIn.length; i++) p.wIn[i] = (r() - 0.3) * 1.2;
  for (let i = 0; i < p.wRec.length; i++) p.wRec[i] = (r() - 0.5) * 0.6;
  for (let i = 0; i < p.wOut.length; i++) p.wOut[i] = (r() - 0.5) * 2;
  for (let i = 0; i < p.rhoSyn.length; i++) p.rhoSyn[i] = r() * 2 - 0.5;
  for (let i = 0; i < p.rhoMem.length; i++) p.rhoMem[i] = r() * 2;
  for (let i = 0; i < p.rhoOut.length; i++) p.rhoOut[i] = r() * 2;
  const ticks = 40;
  const clip: Clip = { ticks, counts: Uint8Array.from({ length: ticks * shape.inputs }, () => (r() < 0.3 ? 1 + Math.floor(r() * 2) : 0)), label: 1 };
  return { shape, p, clip };
}

describe('recurrent spiking classifier: forward and BPTT', () => {
  it('matches the equations on a hand-checked tick', () => {
    const shape: RsnnShape = { inputs: 1, hidden: 1, classes: 1 };
    const p = paramsView(shape, new Float32Array(paramCount(shape)));
    p.wIn[0] = 0.6;
    p.wOut[0] = 1;
    p.rhoSyn[0] = -50; // αs ≈ 0: the current is this tick's input
    p.rhoMem[0] = 50; // αm ≈ 1: no leak
    p.rhoOut[0] = 50;
    const work = createWork(shape);
    const clip: Clip = { ticks: 4, counts: Uint8Array.of(1, 1, 0, 0), label: 0 };
    const { spikes } = forward(p, clip, work);
    // U: 0.6, 1.2 → spike (reset to 0.2), 0.2, 0.2; the readout counts the spike one tick later.
    expect(spikes).toBe(1);
    expect(Array.from(work.mem.subarray(1, 5)).map((v) => Math.round(v * 100) / 100)).toEqual([0.6, 1.2, 0.2, 0.2]);
    expect(Array.from(work.out.subarray(1, 5))).toEqual([0, 0, 1, 1]);
  });

  it('gives the gradient of the smooth parts exactly (finite differences on the readout and decays)', () => {
    const { shape, p, clip } = setup(3);
    const work = createWork(shape);
    const loss = (): number => {
      const { scores } = forward(p, clip, work);
      return crossEntropy(scores, clip.label, new Float64Array(shape.classes));
    };
    const grad = paramsView(shape, new Float32Array(paramCount(shape)));
    const { scores } = forward(p, clip, work);
    const gScore = new Float64Array(shape.classes);
    crossEntropy(scores, clip.label, gScore);
    backward(p, clip, work, gScore, grad);
    // The readout weights and decays do not pass through a spike: their gradient is exact.
    for (const [name, arr, g] of [
      ['wOut', p.wOut, grad.wOut],
      ['rhoOut', p.rhoOut, grad.rhoOut],
    ] as const) {
      for (let i = 0; i < arr.length; i++) {
        const saved = arr[i] as number;
        const eps = 1e-2;
        arr[i] = saved + eps;
        const up = loss();
        arr[i] = saved - eps;
        const down = loss();
        arr[i] = saved;
        const numeric = (up - down) / (2 * eps);
        expect(Math.abs((g[i] as number) - numeric), `${name}[${i}]`).toBeLessThan(2e-3 + 0.02 * Math.abs(numeric));
      }
    }
  });

  it('learns: 60 Adam steps separate three input patterns', () => {
    const shape: RsnnShape = { inputs: 6, hidden: 16, classes: 3 };
    const r = mulberry32(9);
    const data = new Float32Array(paramCount(shape));
    const p = paramsView(shape, data);
    for (let i = 0; i < p.wIn.length; i++) p.wIn[i] = (r() - 0.3) * 0.8;
    for (let i = 0; i < p.wRec.length; i++) p.wRec[i] = (r() - 0.5) * 0.2;
    for (let i = 0; i < p.wOut.length; i++) p.wOut[i] = (r() - 0.5) * 0.5;
    p.rhoSyn.fill(1);
    p.rhoMem.fill(2);
    p.rhoOut.fill(2);
    // Class k: inputs 2k and 2k+1 fire at random ticks.
    const clips: Clip[] = Array.from({ length: 30 }, (_, n) => {
      const label = n % 3;
      const ticks = 30;
      const counts = new Uint8Array(ticks * 6);
      for (let t = 0; t < ticks; t++) for (const i of [2 * label, 2 * label + 1]) if (r() < 0.4) counts[t * 6 + i] = 1;
      return { ticks, counts, label };
    });
    const work = createWork(shape);
    const gScore = new Float64Array(3);
    const accuracy = (): number => clips.filter((c) => {
      const { scores } = forward(p, c, work);
      return scores.indexOf(Math.max(...scores)) === c.label;
    }).length / clips.length;
    const before = accuracy();
    const grad = paramsView(shape, new Float32Array(paramCount(shape)));
    let firstLoss = 0;
    let lastLoss = 0;
    const adam = createAdam(data.length);
    for (let epoch = 0; epoch < 60; epoch++) {
      grad.data.fill(0);
      let total = 0;
      for (const c of clips) {
        const { scores } = forward(p, c, work);
        total += crossEntropy(scores, c.label, gScore);
        backward(p, c, work, gScore, grad);
      }
      for (let i = 0; i < data.length; i++) grad.data[i] = (grad.data[i] as number) / clips.length;
      adamStep(adam, data, grad.data, 0.01);
      if (epoch === 0) firstLoss = total;
      lastLoss = total;
    }
    expect(lastLoss).toBeLessThan(0.5 * firstLoss);
    expect(accuracy()).toBeGreaterThan(Math.max(before, 0.9));
  });
});
