/**
 * The trainer in this thread (in-process gradient workers): it learns a separable task, its
 * learning-rate schedule and quantization-aware switch fall on the epochs computed by hand,
 * and the workers see the quantized stand-ins of the current parameters while fine-tuning.
 */
import { describe, expect, it } from 'vitest';
import { paramsView, sigmoid, type RsnnShape } from '../../../src/snn/train/rsnn.ts';
import { createGradientComputer, inProcessWorkers, quantizedViews, type GradientWorkers, type WorkerBatch } from '../../../src/snn/train/gradientWorkers.ts';
import { quantizeModel } from '../../../src/snn/train/quantize.ts';
import { initParams, learningRate, packDataset, TAU_MEMBRANE_MS, trainRsnn, type TrainerProgress } from '../../../src/snn/train/trainer.ts';
import { SEPARABLE_OPTIONS, separableSet } from '../../helpers/separableSet.ts';

describe('trainRsnn (in-process gradient workers)', () => {
  it('learns a separable task: 100 % on the held-out clips, float, quantized and after fine-tuning', async () => {
    const events: TrainerProgress[] = [];
    const trained = await trainRsnn(separableSet(), SEPARABLE_OPTIONS, inProcessWorkers(2), (e) => events.push(e));
    // Measured: loss 0.80 → 0.03 over the float epochs; test 100 % from the first epoch on.
    expect(trained.history.map((h) => h.testAccuracy)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(trained.history[0]?.loss).toBeGreaterThan(0.5);
    expect(trained.history[3]?.loss).toBeLessThan(0.1);
    expect(trained.floatAccuracy).toBe(1);
    expect(trained.quantizedFloatAccuracy).toBe(1);
    // 24 training clips in batches of 6: 4 batch events an epoch, then the epoch's.
    expect(events.filter((e) => e.type === 'batch')).toHaveLength(6 * 4);
    expect(events.filter((e) => e.type === 'epoch').map((e) => e.type === 'epoch' && e.entry.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('is deterministic: the same seed and worker count give bit-identical parameters; another seed does not', async () => {
    const a = await trainRsnn(separableSet(), { ...SEPARABLE_OPTIONS, epochs: 2, qatEpochs: 1 }, inProcessWorkers(2));
    const b = await trainRsnn(separableSet(), { ...SEPARABLE_OPTIONS, epochs: 2, qatEpochs: 1 }, inProcessWorkers(2));
    const c = await trainRsnn(separableSet(), { ...SEPARABLE_OPTIONS, epochs: 2, qatEpochs: 1, seed: 2 }, inProcessWorkers(2));
    expect(Buffer.from(a.params.data.buffer).equals(Buffer.from(b.params.data.buffer))).toBe(true);
    expect(Buffer.from(a.params.data.buffer).equals(Buffer.from(c.params.data.buffer))).toBe(false);
  });

  it('switches to quantization-aware fine-tuning after the float epochs, at a tenth of the rate, and follows the cosine before', async () => {
    const batches: { epoch: number; quantized: boolean }[] = [];
    const events: TrainerProgress[] = [];
    const trained = await trainRsnn(separableSet(), { ...SEPARABLE_OPTIONS, epochs: 4, qatEpochs: 2 }, recording(inProcessWorkers(1), (b) => batches.push({ epoch: b.epoch, quantized: b.quantized })), (e) => events.push(e));
    expect(trained.history.map((h) => h.phase)).toEqual(['float', 'float', 'float', 'float', 'quantization-aware', 'quantization-aware']);
    // Every batch of epochs 0-3 runs the float weights, of epochs 4-5 the quantized stand-ins.
    expect([...new Set(batches.map((b) => `${b.epoch}:${b.quantized}`))]).toEqual(['0:false', '1:false', '2:false', '3:false', '4:true', '5:true']);
    // λ_e = 0.03 · (0.1 + 0.45 · (1 + cos(π e / 4))): 0.03, 0.026046, 0.0165, 0.006954; then 0.003.
    const rates = events.flatMap((e) => (e.type === 'epoch' ? [e.learningRate] : []));
    expect(rates.map((r) => Math.round(r * 1e6) / 1e6)).toEqual([0.03, 0.026046, 0.0165, 0.006954, 0.003, 0.003]);
  });

  it('gives the workers the quantized stand-ins of the current parameters on every fine-tuning batch', async () => {
    let checked = 0;
    const workers: GradientWorkers = {
      count: 1,
      start(inits) {
        const init = inits[0];
        if (init === undefined) throw new Error('no worker');
        const compute = createGradientComputer(init);
        const shape = init.shape;
        const p = paramsView(shape, new Float32Array(init.params));
        const stand = quantizedViews(shape, init.quantized);
        return {
          workers: [
            {
              run: (batch) => {
                if (batch.quantized) {
                  const f = quantizeModel(p).forward;
                  expect(Array.from(stand.weights?.wRec ?? [])).toEqual(Array.from(f.weights?.wRec ?? []));
                  expect(Array.from(stand.alphaMem ?? [])).toEqual(Array.from(f.alphaMem ?? []));
                  checked++;
                }
                return Promise.resolve(compute(batch));
              },
            },
          ],
          close: () => Promise.resolve(),
        };
      },
    };
    await trainRsnn(separableSet(), { ...SEPARABLE_OPTIONS, epochs: 1, qatEpochs: 2 }, workers);
    expect(checked).toBe(2 * 4); // 2 fine-tuning epochs × 4 batches
  });

  it('fails with the error of a worker and still closes the workers', async () => {
    let closed = 0;
    const failing: GradientWorkers = {
      count: 2,
      start: (inits) => ({
        workers: inits.map((_, k) => ({ run: () => (k === 1 ? Promise.reject(new Error('worker 1 failed')) : Promise.resolve({ loss: 0, correct: 0, spikes: 0, ticks: 0 })) })),
        close: () => Promise.resolve(void closed++),
      }),
    };
    await expect(trainRsnn(separableSet(), SEPARABLE_OPTIONS, failing)).rejects.toThrow('worker 1 failed');
    expect(closed).toBe(1);
  });

  it('freezes the time constants when homogeneous: every decay stays at its initial value', async () => {
    const trained = await trainRsnn(separableSet(), { ...SEPARABLE_OPTIONS, epochs: 2, qatEpochs: 1, homogeneous: true }, inProcessWorkers(1));
    // τm = √(5 · 100) ms at 10 ms ticks: αm = exp(−10 / 22.36) = 0.6394.
    for (const rho of trained.params.rhoMem) expect(sigmoid(rho)).toBeCloseTo(Math.exp(-10 / Math.sqrt(TAU_MEMBRANE_MS[0] * TAU_MEMBRANE_MS[1])), 6);
    expect(sigmoid(trained.params.rhoMem[0] as number)).toBeCloseTo(0.6394, 4);
  });
});

describe('learningRate, initParams, packDataset', () => {
  it('learningRate: the cosine from λ down towards 0.1 λ over E float epochs, then 0.1 λ', () => {
    expect(learningRate(1, 0, 4)).toBe(1);
    expect(learningRate(1, 2, 4)).toBeCloseTo(0.55, 12); // cos(π/2) = 0
    expect(learningRate(1, 1, 4)).toBeCloseTo(0.1 + 0.45 * (1 + Math.SQRT1_2), 12);
    expect(learningRate(1, 4, 4)).toBeCloseTo(0.1, 12);
    expect(learningRate(1, 9, 4)).toBeCloseTo(0.1, 12);
    expect(learningRate(0.5, 0, 0)).toBeCloseTo(0.05, 12); // no float epochs: fine-tuning from the start
  });

  it('initParams: same seed, same parameters; homogeneous decays are the geometric-mean time constants', () => {
    const shape: RsnnShape = { inputs: 4, hidden: 3, classes: 2 };
    const size = 3 * 4 + 3 * 3 + 2 * 3 + 3 + 3 + 2 + 2;
    const a = initParams(shape, new Float32Array(size), 5, true, 8);
    const b = initParams(shape, new Float32Array(size), 5, true, 8);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    // τs = √(2 · 20) = 6.325 ms, τo = 50 ms at 8 ms ticks.
    for (const rho of a.rhoSyn) expect(sigmoid(rho)).toBeCloseTo(Math.exp(-8 / Math.sqrt(40)), 6);
    for (const rho of a.rhoOut) expect(sigmoid(rho)).toBeCloseTo(Math.exp(-8 / 50), 6);
    expect(Array.from(a.bias)).toEqual([0, 0]);
  });

  it('packDataset: rasters back to back on shared memory, offsets in bytes', () => {
    const d = packDataset(2, [Uint8Array.of(1, 0, 2, 1), new Uint8Array(0), Uint8Array.of(3, 3)], [2, 0, 1], [1, 0, 1]);
    expect(Array.from(d.counts)).toEqual([1, 0, 2, 1, 3, 3]);
    expect(Array.from(d.offsets)).toEqual([0, 4, 4]);
    expect(Array.from(d.ticks)).toEqual([2, 0, 1]);
    expect(Array.from(d.labels)).toEqual([1, 0, 1]);
    expect(d.counts.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});

/** Workers that report each share they are given, then compute it as `inner` does. */
function recording(inner: GradientWorkers, onBatch: (batch: WorkerBatch) => void): GradientWorkers {
  return {
    count: inner.count,
    start(inits) {
      const pool = inner.start(inits);
      return { workers: pool.workers.map((w) => ({ run: (b: WorkerBatch) => (onBatch(b), w.run(b)) })), close: () => pool.close() };
    },
  };
}
