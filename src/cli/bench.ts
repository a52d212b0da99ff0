/**
 * `edgespike bench` (`npm run bench`): how fast each stage and the whole ECG pipeline run, as
 * seconds of signal per second of CPU ("x real time"), and how much memory a replay holds;
 * then the same for the streaming audio digits pipeline (`benchAudio.ts`), with the model's
 * size and activity. Ratios, not raw times: the machines this runs on are shared and noisy, so
 * each figure is the best of several timed passes after a warm-up, and a baseline (a bare pass
 * over the samples) is measured in the same run for scale.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lastValueFrom, tap } from 'rxjs';
import { UsageError, ValidationError } from '../core/errors.ts';
import { createQrsBandpass, processQrsBandpass, qrsBandpassDelaySamples } from '../condition/qrsBandpass.ts';
import { createBeatDetector, flushBeatDetector, processBeatDetector } from '../detect/beatDetector.ts';
import { createSignalQuality, processSignalQuality, type QualityChange } from '../detect/signalQuality.ts';
import { createDeltaEncoder, deltaEncoderPrimeSamples, encodeWholeSignal, primeDeltaEncoder, processDeltaEncoder } from '../encode/deltaEncoder.ts';
import { createFloatLifNetwork, processFloatLifChunk } from '../snn/floatReference.ts';
import { allowedLifDeliveries, createLifEngine } from '../snn/lifEngine.ts';
import { createSpikeEvents } from '../snn/lifNetwork.ts';
import { ecgPipeline } from '../pipeline/ecgPipeline.ts';
import { loadEcgModel, type EcgModel } from '../pipeline/ecgModel.ts';
import { openWfdbRecord } from '../sources/wfdbRecord.ts';
import { readWholeRecord } from '../sources/readWhole.ts';
import { recordSource } from '../sources/recordSource.ts';
import { parseWfdbHeader } from '../formats/wfdb/header.ts';
import { parseCommandArgs, parsePositiveInt } from './args.ts';
import { audioBenchClips, benchAudio, cpuSeconds, formatAudioBench, type AudioBench } from './benchAudio.ts';
import { benchDecoders, benchLive, type DecoderBench, type LiveBench } from './benchDevices.ts';

const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DEFAULT_MITDB = resolve(PROJECT_ROOT, '..', 'shared', 'datasets', 'mitdb');
const FIXTURE = resolve(PROJECT_ROOT, 'fixtures', 'synthetic-ecg', 'ecgsyn_360hz');
const DEFAULT_FSDD = resolve(PROJECT_ROOT, '..', 'shared', 'datasets', 'fsdd');
const AUDIO_FIXTURES = resolve(PROJECT_ROOT, 'fixtures', 'audio-digits');
const CHUNK = 512;

export const BENCH_HELP = `Usage: edgespike bench [records or directory...] [options]

Time each stage of the ECG pipeline and the whole pipeline in-process, on real records
(default: ../shared/datasets/mitdb, else the bundled synthetic fixture), channel 0, in
chunks of ${CHUNK} samples, one core. Prints x real time (seconds of signal per second of
CPU, best of --repeat passes after a warm-up) and million samples per second per stage, the
ratio to a bare pass over the samples measured in the same run, then the wall time and peak
resident memory of whole "edgespike replay --speed max" processes on a 30-minute record and
on a record three times as long.

Then the streaming audio digits pipeline: the bundled digits model's cochlea front end
(band-pass bank, envelopes, delta modulation) and its fixed-point LIF network, on the FSDD
test split (recordings 0-4 of ../shared/datasets/fsdd; else the bundled espeak clips in
fixtures/audio-digits) joined as one stream, in chunks of ${CHUNK} samples: x real time per
stage and in all, the network engine's speed against its saturating delivery (same run), and
the model's size and activity (neurons, weights, spikes, synaptic operations and neuron
updates per second and per clip, energy estimate against the dense network).

Options:
  --repeat N    timed passes per stage (the best is kept). Default: 5
  --audio PATH  a .wav file or folder for the audio section (all its clips). Default: as above
  --no-audio    skip the audio section
  --no-ecg      skip the ECG stages and the replay-process check (audio, devices, live still run)
  --no-memory   skip the replay-process timing and memory check
  --no-live     skip the live-stream cost (edgespike run, the compiled command, on a socat
                pty fed with the AD8232 fixture at 360 lines/s for 40 s: CPU share of one
                core over the last 30 s, after warm-up, and peak memory)
  --no-devices  skip the device-decoder throughput (MB/s and x 1 Mbaud)
  --json        print a machine-readable report
  -h, --help    show this help
`;

interface Loaded {
  readonly name: string;
  readonly path: string;
  readonly samples: Int32Array;
  readonly sampleRateHz: number;
}

interface StageResult {
  readonly stage: string;
  readonly cpuSeconds: number;
  readonly xRealTime: number;
  readonly megaSamplesPerSecond: number;
}

/** Best CPU time of `repeat` runs of `fn` after one warm-up run. */
async function timeBest(repeat: number, fn: () => unknown): Promise<number> {
  await fn();
  let best = Infinity;
  for (let i = 0; i < repeat; i++) {
    const start = cpuSeconds();
    await fn();
    best = Math.min(best, cpuSeconds() - start);
  }
  return best;
}

async function loadSamples(path: string): Promise<Loaded> {
  const { info, samples } = await readWholeRecord(path);
  return { name: info.recordName, path, samples, sampleRateHz: info.sampleRateHz };
}

function chunks(n: number, fn: (start: number, count: number) => void): void {
  for (let t = 0; t < n; t += CHUNK) fn(t, Math.min(CHUNK, n - t));
}

/** Run one replay process and read its summary line (wall time and peak RSS). */
function replayProcess(recordPath: string, launcher: readonly string[]): Promise<{ wallSeconds: number; peakRssMb: number; beats: number }> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...launcher, 'replay', recordPath, '--speed', 'max', '--format', 'jsonl'], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let last = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      last = (last + text).slice(-2000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallSeconds = (performance.now() - started) / 1000;
      const line = last.trim().split('\n').pop() ?? '';
      try {
        const summary = JSON.parse(line) as { peakRssMb: number; beats: number };
        resolvePromise({ wallSeconds, peakRssMb: summary.peakRssMb, beats: summary.beats });
      } catch {
        reject(new Error(`replay of ${recordPath} exited with ${code} without a summary`));
      }
    });
  });
}

/** Write a record three times as long as `path` (its signal file repeated) into `dir`. */
async function tripleRecord(path: string, dir: string): Promise<string> {
  const header = parseWfdbHeader(await readFile(`${path}.hea`, 'utf8'));
  const signal = header.signals[0];
  if (signal === undefined || header.samplesPerSignal === undefined) {
    throw new ValidationError(`${path}: the header gives no sample count, which the memory check needs to copy the record; pass --no-memory`);
  }
  const bytes = await readFile(join(dirname(path), signal.fileName));
  const name = `${header.recordName}x3`;
  await writeFile(join(dir, `${name}.dat`), Buffer.concat([bytes, bytes, bytes]));
  const text = (await readFile(`${path}.hea`, 'utf8'))
    .split('\n')
    .map((line, i) => {
      const f = line.trim().split(/\s+/);
      if (line.startsWith('#') || f.length < 2) return line;
      if (i === 0) return [name, f[1], f[2], String(3 * (header.samplesPerSignal as number))].join(' ');
      // Keep file, format, gain, resolution, zero; drop initial value and checksum (no longer true).
      return [`${name}.dat`, f[1], f[2], f[3], f[4]].join(' ');
    })
    .join('\n');
  await writeFile(join(dir, `${name}.hea`), text);
  return join(dir, name);
}

interface MemoryResult {
  readonly launcher: string;
  readonly record: string;
  readonly wallSeconds: number;
  readonly peakRssMb: number;
  readonly beats: number;
  readonly signalSeconds: number;
}

interface EcgBench {
  readonly records: readonly Loaded[];
  readonly signalSeconds: number;
  readonly totalSamples: number;
  readonly tickRateHz: number;
  readonly results: readonly StageResult[];
  readonly baseline: StageResult;
  readonly pipeline: StageResult;
  readonly memory: MemoryResult[] | undefined;
}

/** The ECG stages, the whole ECG pipeline and (with `withMemory`) the replay processes. */
async function benchEcg(positionals: readonly string[], repeat: number, withMemory: boolean, log: (line: string) => void): Promise<EcgBench> {
  const model: EcgModel = loadEcgModel();

  let paths: string[];
  if (positionals.length > 0) {
    paths = positionals.map((p) => p.replace(/\.hea$/, ''));
  } else if (existsSync(join(DEFAULT_MITDB, '101.hea'))) {
    const { readdir } = await import('node:fs/promises');
    paths = (await readdir(DEFAULT_MITDB)).filter((n) => n.endsWith('.hea')).sort().map((n) => join(DEFAULT_MITDB, n.replace(/\.hea$/, '')));
  } else {
    log(`bench: ${DEFAULT_MITDB} not found; using the synthetic fixture`);
    paths = [FIXTURE];
  }
  log(`bench: loading ${paths.length} record(s)`);
  const records = await Promise.all(paths.map(loadSamples));
  const signalSeconds = records.reduce((s, r) => s + r.samples.length / r.sampleRateHz, 0);
  const totalSamples = records.reduce((s, r) => s + r.samples.length, 0);
  for (const r of records) {
    if (r.sampleRateHz !== model.tickRateHz) {
      throw new ValidationError(`bench needs ${model.tickRateHz} Hz records (${r.name} is ${r.sampleRateHz} Hz); give records at ${model.tickRateHz} Hz`);
    }
  }

  // Precompute each stage's input so every stage can be timed alone.
  const conditioned = records.map((r) => {
    const y = new Int32Array(r.samples.length);
    processQrsBandpass(createQrsBandpass(model.bandpass), r.samples, r.samples.length, y);
    return y;
  });
  const spikes = conditioned.map((y) => {
    const s = new Uint8Array(2 * y.length);
    encodeWholeSignal(createDeltaEncoder(model.encoder), y, s);
    return s;
  });
  const outputs = spikes.map((s) => {
    const ev = createSpikeEvents(s.length / 2);
    const n = createLifEngine(model.network).run(s, s.length / 2, ev);
    return { tick: ev.tick.slice(0, n), output: ev.output.slice(0, n) };
  });
  const delay = qrsBandpassDelaySamples(createQrsBandpass(model.bandpass));

  const results: StageResult[] = [];
  const record = (stage: string, cpu: number): void => {
    results.push({ stage, cpuSeconds: cpu, xRealTime: signalSeconds / cpu, megaSamplesPerSecond: totalSamples / cpu / 1e6 });
    log(`  ${stage.padEnd(34)} ${Math.round(signalSeconds / cpu).toLocaleString('en-US').padStart(12)} x real time`);
  };
  log(`bench: ${signalSeconds.toFixed(0)} s of signal, best of ${repeat} passes per stage`);

  let sink = 0;
  record('baseline: bare pass over samples', await timeBest(repeat, () => {
    for (const r of records) {
      const x = r.samples;
      chunks(x.length, (start, count) => {
        let s = 0;
        for (let i = start; i < start + count; i++) s += x[i] as number;
        sink += s;
      });
    }
  }));
  record('read (file, decode 212, channel)', await timeBest(repeat, async () => {
    for (const r of records) {
      const opened = await openWfdbRecord(r.path, { chunkSamples: CHUNK });
      for await (const chunk of opened.chunks()) sink += chunk.samples.length;
    }
  }));
  const yChunk = new Int32Array(CHUNK);
  record('condition (integer QRS band-pass)', await timeBest(repeat, () => {
    for (const r of records) {
      const bp = createQrsBandpass(model.bandpass);
      chunks(r.samples.length, (start, count) => processQrsBandpass(bp, r.samples.subarray(start, start + count), count, yChunk));
    }
  }));
  const sChunk = new Uint8Array(2 * CHUNK);
  record(`encode (${model.encoder.kind} delta modulator)`, await timeBest(repeat, () => {
    for (const y of conditioned) {
      const dm = createDeltaEncoder(model.encoder);
      primeDeltaEncoder(dm, y, Math.min(y.length, deltaEncoderPrimeSamples(dm)));
      chunks(y.length, (start, count) => {
        sink += processDeltaEncoder(dm, y.subarray(start, start + count), count, sChunk);
      });
    }
  }));
  const events = createSpikeEvents(CHUNK);
  record('network (fixed-point LIF, compiled)', await timeBest(repeat, () => {
    for (const s of spikes) {
      const engine = createLifEngine(model.network);
      chunks(s.length / 2, (start, count) => {
        sink += engine.run(s.subarray(2 * start, 2 * (start + count)), count, events);
      });
    }
  }));
  // The same network through the generic loop: the best generic delivery, then the slowest (every add clamped).
  const genericDelivery = allowedLifDeliveries(createLifEngine(model.network).net).find((d) => d !== 'compiled') ?? 'saturating';
  for (const delivery of [genericDelivery, 'saturating'] as const) {
    record(`network (fixed-point LIF, ${delivery})`, await timeBest(repeat, () => {
      for (const s of spikes) {
        const engine = createLifEngine(model.network, { delivery });
        chunks(s.length / 2, (start, count) => {
          sink += engine.run(s.subarray(2 * start, 2 * (start + count)), count, events);
        });
      }
    }));
  }
  const qualityChanges: QualityChange[] = [];
  record('signal quality (good/noisy/flat)', await timeBest(repeat, () => {
    records.forEach((_, i) => {
      const y = conditioned[i] as Int32Array;
      const s = spikes[i] as Uint8Array;
      const q = createSignalQuality(model.quality);
      chunks(y.length, (start, count) => processSignalQuality(q, y.subarray(start, start + count), s.subarray(2 * start, 2 * (start + count)), count, qualityChanges));
      sink += qualityChanges.length;
      qualityChanges.length = 0;
    });
  }));
  const beats: number[] = [];
  record('detect (beat dating)', await timeBest(repeat, () => {
    records.forEach((r, i) => {
      const y = conditioned[i] as Int32Array;
      const out = outputs[i] as { tick: Float64Array; output: Uint16Array };
      const det = createBeatDetector({ beatOutput: model.beatOutput, tickRateHz: model.tickRateHz, sampleRateHz: r.sampleRateHz, lookBackTicks: model.lookBackTicks, lookAheadTicks: model.lookAheadTicks, signalDelayTicks: delay });
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
  }));
  const pipelineCpu = await timeBest(repeat, async () => {
    for (const r of records) {
      const opened = await openWfdbRecord(r.path, { chunkSamples: CHUNK });
      await lastValueFrom(recordSource(opened).pipe(ecgPipeline(model, r.sampleRateHz), tap((f) => (sink += f.events.length))), { defaultValue: undefined });
    }
  });
  record('whole pipeline (file → beats, RxJS)', pipelineCpu);
  const floatEvents = createSpikeEvents(CHUNK);
  record('float reference network (for scale)', await timeBest(Math.min(repeat, 2), () => {
    for (const s of spikes) {
      const net = createFloatLifNetwork(model.network);
      chunks(s.length / 2, (start, count) => {
        sink += processFloatLifChunk(net, s.subarray(2 * start, 2 * (start + count)), count, floatEvents);
      });
    }
  }));
  if (sink === 0.5) log('');

  const baseline = results[0] as StageResult;
  const pipeline = results.find((r) => r.stage.startsWith('whole')) as StageResult;

  let memory: MemoryResult[] | undefined;
  if (withMemory) {
    const longest = records.reduce((a, b) => (b.samples.length > a.samples.length ? b : a));
    log(`bench: replay processes (wall time incl. start-up, peak RSS) on ${longest.name} and a 3x copy`);
    const dir = await mkdtemp(join(tmpdir(), 'edgespike-bench-'));
    try {
      const triple = await tripleRecord(longest.path, dir);
      memory = [];
      const launchers: [string, string[]][] = [
        ['node bin/edgespike.js', [join(PROJECT_ROOT, 'bin', 'edgespike.js')]],
        ['node --import tsx src/cli.ts', ['--import', 'tsx', join(PROJECT_ROOT, 'src', 'cli.ts')]],
      ];
      for (const [launcher, args] of launchers) {
        for (const [path, factor] of [[longest.path, 1], [triple, 3]] as const) {
          const run = await replayProcess(path, args);
          memory.push({ launcher, record: basename(path), signalSeconds: (factor * longest.samples.length) / longest.sampleRateHz, ...run });
          log(`  ${launcher}: replay ${basename(path)}: ${run.wallSeconds.toFixed(2)} s wall, peak RSS ${run.peakRssMb.toFixed(1)} MB`);
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return { records, signalSeconds, totalSamples, tickRateHz: model.tickRateHz, results, baseline, pipeline, memory };
}

export async function benchCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('bench', argv, {
    repeat: { type: 'string' },
    'no-memory': { type: 'boolean' },
    'no-live': { type: 'boolean' },
    'no-devices': { type: 'boolean' },
    'no-audio': { type: 'boolean' },
    'no-ecg': { type: 'boolean' },
    audio: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.help === true) {
    process.stdout.write(BENCH_HELP);
    return 0;
  }
  const repeat = parsePositiveInt('repeat', values.repeat) ?? 5;
  if (values['no-ecg'] === true && positionals.length > 0) {
    throw new UsageError('bench: records were given with --no-ecg, which skips them; drop one or the other');
  }
  if (values['no-audio'] === true && values.audio !== undefined) {
    throw new UsageError('bench: --audio was given with --no-audio, which skips it; drop one or the other');
  }
  const log = (line: string): void => void process.stderr.write(line + '\n');
  const ecg = values['no-ecg'] === true ? undefined : await benchEcg(positionals, repeat, values['no-memory'] !== true, log);
  let audio: AudioBench | undefined;
  if (values['no-audio'] !== true) {
    const { source, files } = await audioBenchClips(values.audio, DEFAULT_FSDD, AUDIO_FIXTURES);
    audio = await benchAudio(files, { source, chunkSamples: CHUNK, repeat, log });
  }

  let decoders: DecoderBench[] | undefined;
  if (values['no-devices'] !== true) {
    log('bench: device-stream decoders (fixtures/devices, 64-byte chunks)');
    decoders = benchDecoders(join(PROJECT_ROOT, 'fixtures', 'devices'), repeat);
  }
  let live: LiveBench[] | undefined;
  if (values['no-live'] !== true) {
    log('bench: live AD8232 stream at 360 Hz through edgespike run on a pty (40 s)');
    live = [];
    const r = await benchLive(PROJECT_ROOT, [join(PROJECT_ROOT, 'bin', 'edgespike.js')], 'node bin/edgespike.js', 40, log);
    if (r !== undefined) live.push(r);
  }

  const report = {
    ...(ecg === undefined
      ? {}
      : {
          records: ecg.records.map((r) => r.name),
          signalSeconds: ecg.signalSeconds,
          samples: ecg.totalSamples,
          chunkSamples: CHUNK,
          repeat,
          stages: ecg.results.map((r) => ({ ...r, ratioToBaseline: r.cpuSeconds / ecg.baseline.cpuSeconds })),
          pipelineXRealTime: ecg.pipeline.xRealTime,
          memory: ecg.memory,
        }),
    audio,
    decoders,
    live,
  };
  if (values.json === true) {
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    return 0;
  }
  const lines: string[] = [];
  if (ecg !== undefined) {
    const { records, signalSeconds, results, baseline, pipeline, memory } = ecg;
    lines.push(
      `ECG pipeline benchmark: ${records.length} record(s), ${(signalSeconds / 3600).toFixed(2)} h of signal at ${ecg.tickRateHz} Hz, chunks of ${CHUNK}`,
      '',
      `${'stage'.padEnd(38)} ${'x real time'.padStart(12)} ${'Msamples/s'.padStart(11)} ${'CPU / baseline'.padStart(15)}`,
      ...results.map(
        (r) =>
          `${r.stage.padEnd(38)} ${Math.round(r.xRealTime).toLocaleString('en-US').padStart(12)} ${r.megaSamplesPerSecond.toFixed(1).padStart(11)} ${(r.cpuSeconds / baseline.cpuSeconds).toFixed(1).padStart(15)}`,
      ),
      '',
      `whole pipeline: ${Math.round(pipeline.xRealTime).toLocaleString('en-US')} x real time on one core (target >= 50,000)`,
    );
    if (memory !== undefined) {
      lines.push('', `${'replay --speed max, whole process'.padEnd(32)} ${'record'.padEnd(8)} ${'signal s'.padStart(9)} ${'wall s'.padStart(7)} ${'peak RSS MB'.padStart(12)}`);
      for (const m of memory) {
        lines.push(`${m.launcher.padEnd(32)} ${m.record.padEnd(8)} ${m.signalSeconds.toFixed(0).padStart(9)} ${m.wallSeconds.toFixed(2).padStart(7)} ${m.peakRssMb.toFixed(1).padStart(12)}`);
      }
    }
  }
  if (audio !== undefined) lines.push(...(lines.length > 0 ? [''] : []), ...formatAudioBench(audio));
  if (decoders !== undefined) {
    lines.push('', `${'device stream (64-byte chunks)'.padEnd(32)} ${'MB/s'.padStart(8)} ${'x 1 Mbaud'.padStart(10)}`);
    for (const d of decoders) {
      lines.push(`${`${d.stream}${d.corrupted ? ', 1% corrupted' : ''}`.padEnd(32)} ${d.megabytesPerSecond.toFixed(1).padStart(8)} ${Math.round(d.timesOneMbaud).toLocaleString('en-US').padStart(10)}`);
    }
    lines.push(`slowest: ${Math.round(Math.min(...decoders.map((d) => d.timesOneMbaud))).toLocaleString('en-US')} x 1 Mbaud (target >= 10)`);
  }
  if (live !== undefined && live.length > 0) {
    lines.push('', `${'live AD8232 stream, 360 Hz'.padEnd(32)} ${'CPU % of a core'.padStart(16)} ${'peak RSS MB'.padStart(12)}`);
    for (const l of live) lines.push(`${l.launcher.padEnd(32)} ${l.cpuPercentOfOneCore.toFixed(2).padStart(16)} ${l.peakRssMb.toFixed(1).padStart(12)}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
