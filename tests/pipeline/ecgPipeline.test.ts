import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { matchBeats } from '../../src/detect/beatMatching.ts';
import { runEcgKernels } from '../../src/pipeline/ecgKernels.ts';
import { loadEcgModel } from '../../src/pipeline/ecgModel.ts';
import { ecgPipeline } from '../../src/pipeline/ecgPipeline.ts';
import { openWfdbRecord } from '../../src/sources/wfdbRecord.ts';
import { recordSource } from '../../src/sources/recordSource.ts';
import type { EcgFrameEvent, HrEvent } from '../../src/core/events.ts';
import { FIXTURE_RECORD, readRecord } from '../helpers/fixture.ts';

const model = loadEcgModel();

async function pipelineEvents(chunkSamples: number): Promise<EcgFrameEvent[]> {
  const record = await openWfdbRecord(FIXTURE_RECORD, { chunkSamples });
  const frames = await lastValueFrom(recordSource(record).pipe(ecgPipeline(model, 360), toArray()));
  return frames.flatMap((f) => f.events);
}

describe('ECG pipeline on the bundled synthetic fixture', () => {
  it('finds every true beat and nothing else (one-to-one within 150 ms), dated within 3 samples of the R peak', async () => {
    const { beats: truth } = await readRecord(FIXTURE_RECORD);
    expect(truth.length).toBe(370);
    const beats = (await pipelineEvents(512)).filter((e) => e.type === 'beat').map((e) => e.sample);
    const match = matchBeats(beats, truth, { sampleRateHz: 360 });
    expect(match.falseNegatives).toBe(0);
    expect(match.falsePositives).toBe(0);
    const offsets = truth.map((t, i) => Math.abs((beats[match.detectionIndexOfReference[i] as number] as number) - t));
    expect(Math.max(...offsets)).toBeLessThanOrEqual(3);
  });

  it('reports heart rate within 1 bpm of 60 / median of the last 8 true RR intervals', async () => {
    const { beats: truth } = await readRecord(FIXTURE_RECORD);
    const events = await pipelineEvents(512);
    const hr = events.filter((e): e is HrEvent => e.type === 'hr');
    expect(hr.length).toBe(369); // every beat but the first has an interval
    for (const h of hr) {
      const at = Math.round(h.t * 360);
      const upTo = truth.filter((t) => t <= at + 3);
      const rr = upTo.slice(-9).map((t, i, a) => (i === 0 ? 0 : (t - (a[i - 1] as number)) / 360)).slice(1).sort((a, b) => a - b);
      const mid = rr.length / 2;
      const median = rr.length % 2 === 1 ? (rr[Math.floor(mid)] as number) : ((rr[mid - 1] as number) + (rr[mid] as number)) / 2;
      expect(Math.abs(h.bpm - 60 / median)).toBeLessThan(1);
    }
  });

  it('gives identical events whatever the chunk size, and the same beats as the plain kernel chain', async () => {
    const reference = await pipelineEvents(512);
    for (const size of [7, 100, 4096]) expect(await pipelineEvents(size)).toEqual(reference);
    const { samples } = await readRecord(FIXTURE_RECORD);
    const kernels = runEcgKernels(model, samples, 360);
    expect(reference.filter((e) => e.type === 'beat').map((e) => e.sample)).toEqual(kernels.beats);
  });

  it('with raster on: the same events, and per-bin counts that add up to each frame\'s spikes, whatever the chunk size', async () => {
    const reference = await pipelineEvents(512);
    const { samples } = await readRecord(FIXTURE_RECORD);
    const kernels = runEcgKernels(model, samples, 360);
    let perBinAt512: string[] | undefined;
    for (const size of [512, 7]) {
      const record = await openWfdbRecord(FIXTURE_RECORD, { chunkSamples: size });
      const frames = await lastValueFrom(recordSource(record).pipe(ecgPipeline(model, 360, { raster: true }), toArray()));
      expect(frames.flatMap((f) => f.events)).toEqual(reference);
      let inputs = 0;
      let neurons = 0;
      const perBin = new Map<string, number>();
      for (const f of frames) {
        let frameIn = 0;
        let frameNeurons = 0;
        const cells = f.raster?.cells ?? [];
        if (f.inputSpikes > 0) expect(f.raster?.rows).toEqual(['up', 'down', 'size', 'qrs', 'beat', 'inter', 'cand']);
        for (let k = 0; k < cells.length; k += 3) {
          const [bin, row, count] = cells.slice(k, k + 3) as [number, number, number];
          expect(count).toBeGreaterThan(0);
          if (row < 2) frameIn += count;
          else frameNeurons += count;
          perBin.set(`${bin},${row}`, (perBin.get(`${bin},${row}`) ?? 0) + count);
        }
        expect(frameIn).toBe(f.inputSpikes);
        expect(frameNeurons).toBe(f.neuronSpikes);
        inputs += frameIn;
        neurons += frameNeurons;
      }
      expect(inputs).toBe(kernels.inputSpikes);
      expect(neurons).toBe(kernels.neuronSpikes);
      // Bins belong to the stream, not to chunks: the same counts per (bin, row) at any chunk size.
      const flat = [...perBin.entries()].map(([key, count]) => `${key}:${count}`).sort();
      if (perBinAt512 === undefined) perBinAt512 = flat;
      else expect(flat).toEqual(perBinAt512);
    }
  });

  it('runs at another sample rate by resampling to the network rate (the fixture at 250 Hz)', async () => {
    const { samples, beats: truth } = await readRecord(FIXTURE_RECORD);
    // Downsample 360 → 250 Hz by linear interpolation (independent of the pipeline's resampler).
    const n = Math.floor(((samples.length - 1) * 250) / 360);
    const x250 = Int32Array.from({ length: n }, (_, k) => {
      const p = (k * 360) / 250;
      const i = Math.floor(p);
      return Math.round((samples[i] as number) + ((samples[i + 1] as number) - (samples[i] as number)) * (p - i));
    });
    const run = runEcgKernels(model, x250, 250);
    const truth250 = truth.map((t) => Math.round((t * 250) / 360)).filter((t) => t < n - 100);
    const match = matchBeats(run.beats.filter((b) => b < n - 100), truth250, { sampleRateHz: 250 });
    expect(match.falseNegatives).toBe(0);
    expect(match.falsePositives).toBe(0);
  });
});
