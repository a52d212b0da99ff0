/**
 * The plot's traces (src/pipeline/ecgTrace.ts, audioTrace.ts) against the pipelines they
 * record: the same beats, spikes and words as the plain kernel chain and the RxJS audio
 * pipeline, and a window that is exactly the whole run cut to it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { DetectionEvent } from '../../src/core/events.ts';
import { loadAudioModel } from '../../src/pipeline/audioModel.ts';
import { audioPipeline } from '../../src/pipeline/audioPipeline.ts';
import { traceAudio } from '../../src/pipeline/audioTrace.ts';
import { runEcgKernels } from '../../src/pipeline/ecgKernels.ts';
import { loadEcgModel, NOISE_SWITCHED_ECG_MODEL_PATH } from '../../src/pipeline/ecgModel.ts';
import { createQrsBandpass, processQrsBandpass } from '../../src/condition/qrsBandpass.ts';
import { createRng, nextNormal } from '../../src/synth/random.ts';
import { createNoiseSwitchedEncoder, primeNoiseSwitchedEncoder, processNoiseSwitchedEncoder } from '../../src/encode/noiseSwitchedEncoder.ts';
import { errorWindows, traceEcg } from '../../src/pipeline/ecgTrace.ts';
import { openRecord } from '../../src/sources/openRecord.ts';
import { recordSource } from '../../src/sources/recordSource.ts';
import { PROJECT_ROOT } from '../helpers/datasets.ts';
import { FIXTURE_RECORD, readRecord } from '../helpers/fixture.ts';

const ecgModel = loadEcgModel();
const STREAM = `${PROJECT_ROOT}/fixtures/audio-digits/stream-3-1-4.wav`;

describe('traceEcg', () => {
  it('over the whole record: the kernel chain’s beats, input spikes and neuron spikes', async () => {
    const trace = await traceEcg(ecgModel, await openRecord(FIXTURE_RECORD), { fromSeconds: 0, toSeconds: 300 });
    const { samples } = await readRecord(FIXTURE_RECORD);
    const kernels = runEcgKernels(ecgModel, samples, 360);
    expect(trace.beats).toEqual(kernels.beats);
    expect(trace.spikes.reduce((n, c) => n + c, 0)).toBe(kernels.inputSpikes);
    expect(trace.neuronSpikes.length).toBe(kernels.neuronSpikes);
    expect(trace.inputCounts).toEqual(samples);
  });

  it('a window is the whole run cut to it (state carried from the record’s start)', async () => {
    const whole = await traceEcg(ecgModel, await openRecord(FIXTURE_RECORD), { fromSeconds: 0, toSeconds: 300 });
    const part = await traceEcg(ecgModel, await openRecord(FIXTURE_RECORD), { fromSeconds: 100.5, toSeconds: 110 });
    const [t0, t1] = [Math.floor(100.5 * 360), 110 * 360];
    expect(part.firstTick).toBe(t0);
    expect(part.beats).toEqual(whole.beats.filter((s) => s >= t0 && s < t1));
    expect(part.neuronSpikes).toEqual(whole.neuronSpikes.filter((s) => s.tick >= t0 && s.tick < t1));
    const N = whole.neuronNames.length;
    expect(part.membrane).toEqual(whole.membrane.slice(t0 * N, t1 * N));
    expect(part.conditioned).toEqual(whole.conditioned.slice(t0, t1));
    expect(part.spikes).toEqual(whole.spikes.slice(2 * t0, 2 * t1));
  });
});

describe('traceEcg with the noise-switched network', () => {
  it('gives the switched kernel chain\'s beats and spikes, and shows the wide path at the narrow band\'s delay, in noise where the switch engages', async () => {
    const switched = loadEcgModel(NOISE_SWITCHED_ECG_MODEL_PATH);
    const { samples } = await readRecord(FIXTURE_RECORD);
    // Broadband noise from 60 s on (a third of the R waves): the switch turns the narrow path on.
    const rng = createRng(11);
    const noisy = samples.map((v, i) => (i >= 60 * 360 ? v + Math.round(60 * nextNormal(rng)) : v));
    const dir = mkdtempSync(join(tmpdir(), 'edgespike-trace-'));
    try {
      const csv = join(dir, 'noisy.csv');
      writeFileSync(csv, `ecg\n${Array.from(noisy).join('\n')}\n`);
      const record = await openRecord(csv, { sampleRateHz: 360, units: 'counts' });
      const trace = await traceEcg(switched, record, { fromSeconds: 0, toSeconds: 300 });
      const kernels = runEcgKernels(switched, noisy, 360);
      const enc = createNoiseSwitchedEncoder(switched.noiseSwitch as NonNullable<typeof switched.noiseSwitch>);
      primeNoiseSwitchedEncoder(enc, noisy, noisy.length);
      processNoiseSwitchedEncoder(enc, noisy, noisy.length, new Int32Array(noisy.length), new Uint8Array(2 * noisy.length));
      expect(enc.narrowBlocks).toBeGreaterThan(100); // the narrow path feeds the network for minutes
      expect(trace.beats).toEqual(kernels.beats);
      expect(trace.spikes.reduce((n, c) => n + c, 0)).toBe(kernels.inputSpikes);
      expect(trace.neuronSpikes.length).toBe(kernels.neuronSpikes);
      // The shown signal is the wide path (gain L1 L2 = 70), 45 ticks late (the narrow band-pass's delay).
      expect(trace.bandpassDelayTicks).toBe(45);
      expect(trace.bandpassGain).toBe(70);
      const bp = createQrsBandpass(switched.bandpass);
      const wide = new Int32Array(noisy.length);
      processQrsBandpass(bp, noisy, noisy.length, wide);
      expect(trace.conditioned.subarray(6)).toEqual(wide.subarray(0, noisy.length - 6));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('traceAudio', () => {
  it('gives audioPipeline’s words and hidden spikes, and each word’s readouts end at its last spike tick', async () => {
    const model = loadAudioModel();
    const frames = await lastValueFrom(recordSource(await openRecord(STREAM)).pipe(audioPipeline(model), toArray()));
    const words = frames.flatMap((f) => f.events).filter((e): e is DetectionEvent => e.type === 'detection');
    // The plot draws the classifying network's hidden layer: its spikes without the word gate's
    // (the gate drops none of these three words, so the same segments run either way).
    const ungated = await lastValueFrom(recordSource(await openRecord(STREAM)).pipe(audioPipeline(model, { gate: null }), toArray()));
    const hidden = ungated.reduce((n, f) => n + f.hiddenSpikes, 0);
    const networkTicks = frames.reduce((n, f) => n + f.networkTicks, 0);
    const trace = await traceAudio(model, await openRecord(STREAM), { fromSeconds: 0, toSeconds: 10 });
    expect(trace.detections.map((d) => [d.t, d.end, d.label])).toEqual(words.map((w) => [w.t, w.end, w.label]));
    expect(trace.detections.map((d) => d.score.toFixed(4))).toEqual(words.map((w) => w.score.toFixed(4)));
    expect(trace.hiddenSpikes.length).toBe(hidden);
    expect(trace.readouts.length).toBe(networkTicks * model.classes.length);
    for (const w of trace.detections) {
      const [start, end] = [Math.round(w.t / trace.tickSeconds), Math.round(w.end / trace.tickSeconds)];
      const ticks = trace.readouts.filter((r) => r.k === 0 && r.tick >= start - 16 && r.tick < end + 16).map((r) => r.tick);
      expect(Math.max(...ticks)).toBe(end - 1);
    }
  });
});

describe('errorWindows', () => {
  it('puts ±5 s around each error and lets an error inside the current window join it', () => {
    expect(errorWindows([3600], [3960, 36000], 360, 300)).toEqual([
      { fromSeconds: 5, toSeconds: 15, errors: [{ kind: 'FP', sample: 3600 }, { kind: 'FN', sample: 3960 }] },
      { fromSeconds: 95, toSeconds: 105, errors: [{ kind: 'FN', sample: 36000 }] },
    ]);
  });

  it('clips to the record and starts a new window for an error in the current one’s last second', () => {
    // FN at 1 s → 0–6 s; FP at 5.5 s is in its last second → its own window 0.5–10.5 s; FN at 299 s → 294–300 s.
    expect(errorWindows([1980], [360, 107640], 360, 300).map((w) => [w.fromSeconds, w.toSeconds, w.errors.length])).toEqual([
      [0, 6, 1],
      [0.5, 10.5, 1],
      [294, 300, 1],
    ]);
  });
});
