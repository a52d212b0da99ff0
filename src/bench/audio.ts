/**
 * The audio part of `npm run bench`: how picked the streaming digits pipeline runs — the
 * cochlea front end (band-pass bank, envelopes, delta modulation into UP/DOWN spikes) and the
 * fixed-point LIF network of the bundled digits model — as seconds of audio per second of CPU
 * on one core ("x real time"), and what the model is and does: neurons, weights, spikes and
 * synaptic operations per second and per inference, and the energy estimate of
 * `src/snn/cost.ts` against the dense network of the same weights.
 *
 * The clips are joined into one stream and fed in chunks of `chunkSamples`, as a live source
 * would feed them; the network is not reset between clips. Each stage is timed alone (on the
 * previous stage's output, computed once beforehand) and the whole chain is timed as it
 * streams: with the network always on, and as `replay --task digits` runs it (`audioPipeline`:
 * the word detector, and the networks on its words only). Each figure is the best of `repeat`
 * passes after a warm-up, in CPU seconds; the network runs on the delivery `createLifEngine`
 * picks and on its slowest, `saturating` (one
 * clamp per synaptic add, the plain layout), in the same run, whose ratio is the engine speedup
 * (and whose final states must be identical).
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { from, lastValueFrom, tap } from 'rxjs';
import type { SampleChunk } from '../core/chunks.ts';
import { ValidationError } from '../core/errors.ts';
import { cochleaTicksFor, createCochlea, processCochlea } from '../filterbank/cochlea.ts';
import { readAudio } from '../pipeline/audioDataset.ts';
import { loadAudioModel, type AudioModel } from '../pipeline/audioModel.ts';
import { audioPipeline } from '../pipeline/audioPipeline.ts';
import type { CostReport } from '../core/events.ts';
import { costReport } from '../snn/cost.ts';
import { createLifEngine, type LifDelivery, type LifEngine } from '../snn/lifEngine.ts';
import { benchLifPackedC, formatLifPackedC, type LifPackedCBench } from './lifPackedC.ts';
import { createSpikeEvents, type LifNetwork } from '../snn/lifNetwork.ts';
import { listWavFiles } from '../sources/wavFile.ts';
import { barePass, createStageTable, timeBest, type StageResult } from './harness.ts';

/** The speed target for the streaming digits pipeline (issue #4: 200; issue #10: 300), in x real time on one core. */
export const AUDIO_TARGET_X_REAL_TIME = 300;

/** FSDD's test split: recordings 0–4 of every speaker and digit (`{digit}_{speaker}_{index}.wav`). */
const FSDD_TEST_NAME = /^\d+_[^_]+_[0-4]\.wav$/i;

/** What `benchAudio` measured. */
export interface AudioBench {
  readonly source: string;
  readonly clips: number;
  readonly audioSeconds: number;
  readonly sampleRateHz: number;
  readonly chunkSamples: number;
  readonly repeat: number;
  readonly stages: readonly StageResult[];
  readonly pipelineXRealTime: number;
  readonly targetXRealTime: number;
  /** CPU of the `saturating` delivery / CPU of the delivery the pipeline uses, same run. */
  readonly engineSpeedup: number;
  /** Whether the two engines ended in identical states with identical counters. */
  readonly enginesIdentical: boolean;
  /** The generic engine's packed delivery against its C twin (same input, same chunks, same run). */
  readonly engineC: LifPackedCBench;
  readonly model: {
    readonly name: string;
    readonly inputs: number;
    readonly spikingNeurons: number;
    readonly readouts: number;
    readonly neurons: number;
    /** Synapses: the non-zero int8 weights. */
    readonly weights: number;
    readonly stateBits: number;
    readonly ticksPerSecond: number;
  };
  readonly activity: {
    readonly ticks: number;
    readonly inputSpikes: number;
    readonly hiddenSpikes: number;
    readonly synapticOps: number;
    readonly neuronUpdates: number;
  };
  /** `costReport` of the stream: per second, per inference (a clip), energy. */
  readonly cost: CostReport;
}

/**
 * The clips to bench: the FSDD test split under `fsddDir` when it is there, else every clip of
 * `fixturesDir`; or every .wav file of `path` when one is given.
 */
export async function audioBenchClips(path: string | undefined, fsddDir: string, fixturesDir: string): Promise<{ source: string; files: string[] }> {
  if (path !== undefined) return { source: path, files: await listWavFiles(path) };
  if (existsSync(fsddDir)) {
    const files = (await listWavFiles(fsddDir, { recursive: false })).filter((f) => FSDD_TEST_NAME.test(basename(f)));
    if (files.length > 0) return { source: `${fsddDir} (FSDD test split, recordings 0-4)`, files };
  }
  return { source: fixturesDir, files: await listWavFiles(fixturesDir) };
}

/** Final state and counters of a network, to check two engines agree. */
function sameState(a: LifNetwork, b: LifNetwork): boolean {
  const same = (x: ArrayLike<number>, y: ArrayLike<number>): boolean => {
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
    return true;
  };
  return (
    same(a.exc, b.exc) && same(a.inh, b.inh) && same(a.membrane, b.membrane) && same(a.refractoryLeft, b.refractoryLeft) &&
    same(a.pending, b.pending) && same(a.spikeCount, b.spikeCount) && a.synapticOps === b.synapticOps &&
    a.neuronUpdates === b.neuronUpdates && a.tick === b.tick
  );
}

/**
 * Time the streaming digits pipeline on `files` joined as one stream.
 * @param files WAV clips (resampled to the front end's rate when needed)
 * @param options `model` (@default the bundled digits model), `chunkSamples` (input samples
 *   per chunk), `repeat` (timed passes per stage, the best is kept), `source` (for the report),
 *   `log` (progress lines)
 */
export async function benchAudio(
  files: readonly string[],
  options: { readonly source: string; readonly chunkSamples: number; readonly repeat: number; readonly model?: AudioModel; readonly log: (line: string) => void },
): Promise<AudioBench> {
  const { chunkSamples: CHUNK, repeat, log } = options;
  const model = options.model ?? loadAudioModel();
  const { frontEnd, network } = model;
  const rateHz = frontEnd.sampleRateHz;
  log(`bench: loading ${files.length} audio clip(s) from ${options.source}`);
  const clips = await Promise.all(files.map((f) => readAudio(f, rateHz)));
  const total = clips.reduce((n, c) => n + c.length, 0);
  if (total === 0) throw new ValidationError(`${options.source}: the clips hold no samples`);
  const samples = new Int32Array(total);
  let at = 0;
  for (const c of clips) {
    samples.set(c, at);
    at += c.length;
  }
  const audioSeconds = total / rateHz;
  const width = 2 * frontEnd.channels;
  const chunkCount = Math.ceil(total / CHUNK);

  // The front end's output, computed once, so the network can be timed alone on the same chunks.
  const probe = createCochlea(frontEnd);
  const raster = new Uint8Array(cochleaTicksFor(probe, total) * width);
  const chunkTicks = new Int32Array(chunkCount);
  let ticks = 0;
  for (let k = 0; k < chunkCount; k++) {
    const start = k * CHUNK;
    const count = Math.min(CHUNK, total - start);
    const n = processCochlea(probe, samples.subarray(start, start + count), count, raster.subarray(ticks * width));
    chunkTicks[k] = n;
    ticks += n;
  }
  let inputSpikes = 0;
  for (let i = 0; i < ticks * width; i++) inputSpikes += raster[i] as number;
  const maxChunkTicks = Math.max(...chunkTicks);
  const chunkOut = new Uint8Array(maxChunkTicks * width);
  const events = createSpikeEvents(maxChunkTicks * network.outputs.length);

  const table = createStageTable(audioSeconds, total, log, 44);
  log(`bench: ${audioSeconds.toFixed(1)} s of audio, best of ${repeat} passes per stage`);

  let sink = 0;
  const bare = barePass([samples], CHUNK);
  await table.time('baseline: bare pass over samples', repeat, bare.run);
  await table.time(`front end (cochlea ${frontEnd.channels} ch + delta mod.)`, repeat, () => {
    const cochlea = createCochlea(frontEnd);
    for (let start = 0; start < total; start += CHUNK) {
      const count = Math.min(CHUNK, total - start);
      sink += processCochlea(cochlea, samples.subarray(start, start + count), count, chunkOut);
    }
  });
  // The network alone, on the front end's spikes, chunk for chunk: the delivery the pipeline
  // picks, then the saturating one (the same results, slower).
  const runNetwork = (delivery: LifDelivery | 'auto'): LifEngine => {
    const engine = createLifEngine(network, { delivery });
    let t = 0;
    for (let k = 0; k < chunkCount; k++) {
      const n = chunkTicks[k] as number;
      sink += engine.run(raster.subarray(t * width, (t + n) * width), n, events);
      t += n;
    }
    return engine;
  };
  let picked: LifEngine | undefined;
  const pickedCpu = await timeBest(repeat, () => {
    picked = runNetwork('auto');
  });
  table.add(`network (fixed-point LIF, ${(picked as LifEngine).delivery})`, pickedCpu);
  const pickedEngine = picked as LifEngine;
  const engineC: LifPackedCBench =
    pickedEngine.delivery === 'packed'
      ? benchLifPackedC(pickedEngine.net, raster, chunkTicks, repeat, { cpuSeconds: pickedCpu, net: pickedEngine.net }, log)
      : { skipped: `the network runs on the ${pickedEngine.delivery} delivery, not the generic packed loop` };
  let saturating: LifEngine | undefined;
  const saturatingCpu = await timeBest(repeat, () => {
    saturating = runNetwork('saturating');
  });
  table.add('network (fixed-point LIF, saturating)', saturatingCpu);
  let streamed: LifNetwork | undefined;
  const pipelineCpu = await timeBest(repeat, () => {
    const cochlea = createCochlea(frontEnd);
    const engine = createLifEngine(network);
    for (let start = 0; start < total; start += CHUNK) {
      const count = Math.min(CHUNK, total - start);
      const n = processCochlea(cochlea, samples.subarray(start, start + count), count, chunkOut);
      sink += engine.run(chunkOut, n, events);
    }
    streamed = engine.net;
  });
  table.add('whole pipeline (samples → spikes → network)', pipelineCpu);
  // The stream as `replay --task digits` runs it: the word detector cuts words out, and the
  // digits network and the word gate run on the words only (here every tick is speech: the
  // clips are joined without gaps, the hardest case for it).
  const sampleChunks: SampleChunk[] = [];
  for (let start = 0; start < total; start += CHUNK) sampleChunks.push({ startSample: start, sampleRateHz: rateHz, samples: samples.subarray(start, Math.min(total, start + CHUNK)) });
  await table.time('streaming words (detector; networks on words)', repeat, async () => {
    await lastValueFrom(from(sampleChunks).pipe(audioPipeline(model), tap((f) => (sink += f.events.length))), { defaultValue: undefined });
  });
  if (sink + bare.sink() === 0.5) log('');

  const net = streamed as LifNetwork;
  const enginesIdentical = sameState((picked as LifEngine).net, (saturating as LifEngine).net) && sameState(net, (saturating as LifEngine).net);
  if (!enginesIdentical) log('bench: WARNING: two deliveries of the engine disagree; this is a bug, please report it');
  let hiddenSpikes = 0;
  for (const s of net.spikeCount) hiddenSpikes += s;
  const spikingNeurons = network.neurons.filter((n) => !n.nonSpiking).length;
  const weights = network.synapses.length;
  const cost = costReport({ inputSpikes, spikes: hiddenSpikes, synapticOps: net.synapticOps, neuronUpdates: net.neuronUpdates, ticks }, weights, audioSeconds, files.length);
  return {
    source: options.source,
    clips: files.length,
    audioSeconds,
    sampleRateHz: rateHz,
    chunkSamples: CHUNK,
    repeat,
    stages: table.results,
    pipelineXRealTime: audioSeconds / pipelineCpu,
    targetXRealTime: AUDIO_TARGET_X_REAL_TIME,
    engineSpeedup: saturatingCpu / pickedCpu,
    enginesIdentical,
    engineC,
    model: {
      name: network.name,
      inputs: network.inputs.length,
      spikingNeurons,
      readouts: network.neurons.length - spikingNeurons,
      neurons: network.neurons.length,
      weights,
      stateBits: network.stateBits,
      ticksPerSecond: 1 / model.tickSeconds,
    },
    activity: { ticks, inputSpikes, hiddenSpikes, synapticOps: net.synapticOps, neuronUpdates: net.neuronUpdates },
    cost,
  };
}

const int = (v: number): string => Math.round(v).toLocaleString('en-US');

/** The audio report as text lines, in the style of the ECG table. */
export function formatAudioBench(a: AudioBench): string[] {
  const m = a.model;
  const c = a.cost;
  const e = c.energy;
  const ms = (1000 * a.chunkSamples) / a.sampleRateHz;
  return [
    `Audio digits pipeline benchmark: ${a.clips} clip(s) from ${a.source}, joined as one stream, ${a.audioSeconds.toFixed(1)} s at ${a.sampleRateHz} Hz, chunks of ${a.chunkSamples} (${ms.toFixed(0)} ms)`,
    '',
    `${'stage'.padEnd(44)} ${'x real time'.padStart(12)} ${'Msamples/s'.padStart(11)} ${'CPU / baseline'.padStart(15)}`,
    ...a.stages.map(
      (r) => `${r.stage.padEnd(44)} ${int(r.xRealTime).padStart(12)} ${r.megaSamplesPerSecond.toFixed(2).padStart(11)} ${r.ratioToBaseline.toFixed(1).padStart(15)}`,
    ),
    '',
    `whole pipeline: ${int(a.pipelineXRealTime)} x real time on one core: ${a.pipelineXRealTime >= a.targetXRealTime ? 'PASS' : 'FAIL'} ` +
      `(target >= ${a.targetXRealTime} x, issues #4 and #10; ${(a.pipelineXRealTime / a.targetXRealTime).toFixed(1)} x the target)`,
    `network engine: ${a.engineSpeedup.toFixed(2)} x the saturating delivery's speed (same run; final states ${a.enginesIdentical ? 'identical' : 'DIFFERENT'})`,
    formatLifPackedC(a.engineC),
    '',
    `model ${m.name}: ${m.inputs} inputs, ${m.neurons} neurons (${m.spikingNeurons} spiking + ${m.readouts} non-spiking readouts), ` +
      `${int(m.weights)} weights (int8 synapses), ${m.stateBits}-bit states, ${m.ticksPerSecond.toFixed(0)} ticks/s`,
    `${''.padEnd(28)} ${'per second of audio'.padStart(20)} ${`per inference (clip, ${(a.audioSeconds / a.clips).toFixed(2)} s)`.padStart(32)}`,
    ...([
      ['input spikes', c.perSecond.inputSpikes, c.perInference.inputSpikes],
      ['hidden spikes', c.perSecond.spikes, c.perInference.spikes],
      ['synaptic operations', c.perSecond.synapticOps, c.perInference.synapticOps],
      ['neuron updates', c.perSecond.neuronUpdates, c.perInference.neuronUpdates],
      ['dense equivalent MACs', c.perInference.denseMacs * (a.clips / a.audioSeconds), c.perInference.denseMacs],
    ] as const).map(([name, perS, perI]) => `${name.padEnd(28)} ${int(perS).padStart(20)} ${int(perI).padStart(32)}`),
    `${'energy estimate, spiking (nJ)'.padEnd(28)} ${int(e.snnNanojoulePerSecond).padStart(20)} ${int(e.snnNanojoulePerInference).padStart(32)}`,
    `${'energy estimate, dense (nJ)'.padEnd(28)} ${int(e.denseNanojoulePerSecond).padStart(20)} ${int(e.denseNanojoulePerInference).padStart(32)}`,
    `dense / spiking energy: ${e.ratio.toFixed(1)}x (${e.model})`,
  ];
}
