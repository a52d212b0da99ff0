/**
 * The ECG part of `edgespike bench`: each stage of the ECG pipeline timed alone, on the
 * previous stage's output computed once beforehand (`encodeEcg`, the pipeline's own
 * band-pass and encoder, and `createLifEngine`, the engine the pipeline runs), then the whole
 * pipeline as it runs (`recordSource` → `ecgPipeline`), all with the harness of `harness.ts`.
 * The network is timed on the delivery the pipeline uses (`compiled`), on the fastest generic
 * delivery the network allows, and on `saturating`, the slowest.
 *
 * The kernel stages run the single-band network's chain (one band-pass, one modulator: the
 * kernels every front end is made of, and the chain the exported C twins in `ecgC.ts`); the
 * noise-switched front end is timed as one stage, and the whole pipeline runs the default
 * network (the noise-switched one), as every ECG command does.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { lastValueFrom, tap } from 'rxjs';
import { ValidationError } from '../core/errors.ts';
import { createQrsBandpass, processQrsBandpass } from '../condition/qrsBandpass.ts';
import { createBeatDetector, flushBeatDetector, processBeatDetector } from '../detect/beatDetector.ts';
import { createSignalQuality, processSignalQuality, type QualityChange } from '../detect/signalQuality.ts';
import { createDeltaEncoder, deltaEncoderPrimeSamples, primeDeltaEncoder, processDeltaEncoder } from '../encode/deltaEncoder.ts';
import { createNoiseSwitchedEncoder, noiseSwitchedPrimeSamples, primeNoiseSwitchedEncoder, processNoiseSwitchedEncoder } from '../encode/noiseSwitchedEncoder.ts';
import { createFloatLifNetwork, processFloatLifChunk } from '../snn/floatReference.ts';
import { allowedLifDeliveries, createLifEngine, type LifDelivery } from '../snn/lifEngine.ts';
import { createSpikeEvents } from '../snn/lifNetwork.ts';
import { encodeEcg } from '../pipeline/ecgKernels.ts';
import { beatDetectorOptions, loadEcgModel, SINGLE_BAND_ECG_MODEL_PATH } from '../pipeline/ecgModel.ts';
import { ecgPipeline } from '../pipeline/ecgPipeline.ts';
import { readWholeRecord } from '../sources/readWhole.ts';
import { recordSource } from '../sources/recordSource.ts';
import { openWfdbRecord } from '../sources/wfdbRecord.ts';
import { barePass, createStageTable, type StageResult } from './harness.ts';

/** The ECG speed target (the brief), × real time on one core for the whole pipeline. */
export const ECG_TARGET_X_REAL_TIME = 50_000;

/** A record read whole (channel 0). */
export interface LoadedRecord {
  readonly name: string;
  /** Path without `.hea`. */
  readonly path: string;
  readonly samples: Int32Array;
  readonly sampleRateHz: number;
}

/** What `benchEcg` measured. */
export interface EcgBench {
  readonly records: readonly LoadedRecord[];
  readonly signalSeconds: number;
  readonly totalSamples: number;
  readonly tickRateHz: number;
  /** The stages, baseline first. */
  readonly results: readonly StageResult[];
  /** The whole pipeline's row. */
  readonly pipeline: StageResult;
}

/**
 * The records to bench: `paths` (with or without `.hea`), else every record of `mitdbDir`
 * when it holds 101, else `fixture`.
 */
export async function ecgBenchRecords(paths: readonly string[], mitdbDir: string, fixture: string, log: (line: string) => void): Promise<LoadedRecord[]> {
  let chosen: string[];
  if (paths.length > 0) {
    chosen = paths.map((p) => p.replace(/\.hea$/, ''));
  } else if (existsSync(join(mitdbDir, '101.hea'))) {
    chosen = (await readdir(mitdbDir)).filter((n) => n.endsWith('.hea')).sort().map((n) => join(mitdbDir, n.replace(/\.hea$/, '')));
  } else {
    log(`bench: ${mitdbDir} not found; using the synthetic fixture`);
    chosen = [fixture];
  }
  log(`bench: loading ${chosen.length} record(s)`);
  return Promise.all(
    chosen.map(async (path) => {
      const { info, samples } = await readWholeRecord(path);
      return { name: info.recordName, path, samples, sampleRateHz: info.sampleRateHz };
    }),
  );
}

/**
 * Time the ECG stages and the whole pipeline on `records`, in chunks of `chunkSamples`.
 * @param repeat timed passes per stage (the best is kept; the float reference: at most 2)
 * @throws ValidationError when a record is not at the model's tick rate
 */
export async function benchEcg(records: readonly LoadedRecord[], chunkSamples: number, repeat: number, log: (line: string) => void): Promise<EcgBench> {
  const model = loadEcgModel(SINGLE_BAND_ECG_MODEL_PATH);
  const pipelineModel = loadEcgModel();
  for (const r of records) {
    if (r.sampleRateHz !== model.tickRateHz) {
      throw new ValidationError(`bench needs ${model.tickRateHz} Hz records (${r.name} is ${r.sampleRateHz} Hz); give records at ${model.tickRateHz} Hz`);
    }
  }
  const signalSeconds = records.reduce((s, r) => s + r.samples.length / r.sampleRateHz, 0);
  const totalSamples = records.reduce((s, r) => s + r.samples.length, 0);
  const chunks = (n: number, fn: (start: number, count: number) => void): void => {
    for (let t = 0; t < n; t += chunkSamples) fn(t, Math.min(chunkSamples, n - t));
  };

  // Each stage's input, computed once by the pipeline's own kernels, so every stage is timed alone.
  const encoded = records.map((r) => encodeEcg(model, r.samples));
  const outputs = encoded.map(({ spikes }) => {
    const events = createSpikeEvents((spikes.length / 2) * model.network.outputs.length);
    const n = createLifEngine(model.network).run(spikes, spikes.length / 2, events);
    return { tick: events.tick.slice(0, n), output: events.output.slice(0, n) };
  });

  const table = createStageTable(signalSeconds, totalSamples, log, 34);
  log(`bench: ${signalSeconds.toFixed(0)} s of signal, best of ${repeat} passes per stage`);
  let sink = 0;
  const bare = barePass(records.map((r) => r.samples), chunkSamples);
  await table.time('baseline: bare pass over samples', repeat, bare.run);
  await table.time('read (file, decode 212, channel)', repeat, async () => {
    for (const r of records) {
      const opened = await openWfdbRecord(r.path, { chunkSamples });
      // The synchronous reads `recordSource` replays a file with.
      for (const chunk of opened.syncChunks()) sink += chunk.samples.length;
    }
  });
  const yChunk = new Int32Array(chunkSamples);
  await table.time('condition (integer QRS band-pass)', repeat, () => {
    for (const r of records) {
      const bp = createQrsBandpass(model.bandpass);
      chunks(r.samples.length, (start, count) => processQrsBandpass(bp, r.samples.subarray(start, start + count), count, yChunk));
    }
  });
  const sChunk = new Uint8Array(2 * chunkSamples);
  await table.time(`encode (${model.encoder.kind} delta modulator)`, repeat, () => {
    for (const { signal: y } of encoded) {
      const dm = createDeltaEncoder(model.encoder);
      primeDeltaEncoder(dm, y, Math.min(y.length, deltaEncoderPrimeSamples(dm)));
      chunks(y.length, (start, count) => {
        sink += processDeltaEncoder(dm, y.subarray(start, start + count), count, sChunk);
      });
    }
  });
  const switched = pipelineModel.noiseSwitch;
  if (switched !== undefined) {
    await table.time('front end, noise-switched (2 bands)', repeat, () => {
      for (const r of records) {
        const enc = createNoiseSwitchedEncoder(switched);
        primeNoiseSwitchedEncoder(enc, r.samples, Math.min(r.samples.length, noiseSwitchedPrimeSamples(enc)));
        chunks(r.samples.length, (start, count) => {
          sink += processNoiseSwitchedEncoder(enc, r.samples.subarray(start, start + count), count, yChunk, sChunk);
        });
      }
    });
  }
  // The delivery the pipeline uses, the best generic one, and the slowest (every add clamped).
  const events = createSpikeEvents(chunkSamples * model.network.outputs.length);
  const allowed = allowedLifDeliveries(createLifEngine(model.network).net);
  const deliveries: LifDelivery[] = [allowed[0] as LifDelivery, allowed.find((d) => d !== 'compiled') ?? 'saturating', 'saturating'];
  for (const delivery of deliveries) {
    await table.time(`network (fixed-point LIF, ${delivery})`, repeat, () => {
      for (const { spikes } of encoded) {
        const engine = createLifEngine(model.network, { delivery });
        chunks(spikes.length / 2, (start, count) => {
          sink += engine.run(spikes.subarray(2 * start, 2 * (start + count)), count, events);
        });
      }
    });
  }
  const qualityChanges: QualityChange[] = [];
  await table.time('signal quality (good/noisy/flat)', repeat, () => {
    for (const { signal: y, spikes } of encoded) {
      const q = createSignalQuality(model.quality);
      chunks(y.length, (start, count) => processSignalQuality(q, y.subarray(start, start + count), spikes.subarray(2 * start, 2 * (start + count)), count, qualityChanges));
      sink += qualityChanges.length;
      qualityChanges.length = 0;
    }
  });
  const beats: number[] = [];
  await table.time('detect (beat dating)', repeat, () => {
    records.forEach((r, i) => {
      const y = (encoded[i] as { signal: Int32Array }).signal;
      const out = outputs[i] as { tick: Float64Array; output: Uint16Array };
      const det = createBeatDetector(beatDetectorOptions(model, r.sampleRateHz));
      let k = 0;
      chunks(y.length, (start, count) => {
        let end = k;
        while (end < out.tick.length && (out.tick[end] as number) < start + count) end++;
        processBeatDetector(det, y.subarray(start, start + count), count, out.tick.subarray(k, end), out.output.subarray(k, end), end - k, beats);
        k = end;
      });
      flushBeatDetector(det, beats);
      beats.length = 0;
    });
  });
  const pipeline = await table.time('whole pipeline (file → beats, RxJS)', repeat, async () => {
    for (const r of records) {
      const opened = await openWfdbRecord(r.path, { chunkSamples });
      await lastValueFrom(recordSource(opened).pipe(ecgPipeline(pipelineModel, r.sampleRateHz), tap((f) => (sink += f.events.length))), { defaultValue: undefined });
    }
  });
  // The same without the HRV windows (`--hrv-window 0`): beats, heart rate and rhythm only, to show what the windows cost.
  await table.time('whole pipeline, no HRV windows', repeat, async () => {
    for (const r of records) {
      const opened = await openWfdbRecord(r.path, { chunkSamples });
      await lastValueFrom(recordSource(opened).pipe(ecgPipeline(pipelineModel, r.sampleRateHz, { hrv: false }), tap((f) => (sink += f.events.length))), { defaultValue: undefined });
    }
  });
  const floatEvents = createSpikeEvents(chunkSamples * model.network.outputs.length);
  await table.time('float reference network (for scale)', Math.min(repeat, 2), () => {
    for (const { spikes } of encoded) {
      const net = createFloatLifNetwork(model.network);
      chunks(spikes.length / 2, (start, count) => {
        sink += processFloatLifChunk(net, spikes.subarray(2 * start, 2 * (start + count)), count, floatEvents);
      });
    }
  });
  if (sink + bare.sink() === 0.5) log('');
  return { records, signalSeconds, totalSamples, tickRateHz: model.tickRateHz, results: table.results, pipeline };
}
