/**
 * `edgespike bench` as one call: `runBench(options)` runs the sections asked for (ECG stages,
 * replay processes, audio, device decoders, live stream) and returns the report that
 * `bench --json` prints; `formatBenchText` renders it as the text `bench` prints.
 */
import { join, relative, resolve } from 'node:path';
import { benchAudio, audioBenchClips, formatAudioBench, type AudioBench } from './audio.ts';
import { benchDecoders, benchLive, DECODER_TARGET_TIMES_ONE_MBAUD, type DecoderBench, type LiveBench } from './devices.ts';
import { benchEcg, ECG_TARGET_X_REAL_TIME, ecgBenchRecords } from './ecg.ts';
import { benchEcgC, formatEcgCBench, type EcgCBench } from './ecgC.ts';
import type { StageResult } from './harness.ts';
import { benchReplayMemory, type MemoryResult } from './replayMemory.ts';
import { startBroker } from '../app/broker.ts';

/** Input samples per chunk, every section: about what a live source delivers at once. */
export const BENCH_CHUNK_SAMPLES = 512;
/** What publishing every event to a broker may add to a device's CPU, percent of one core. */
export const MQTT_TARGET_EXTRA_CPU_PERCENT = 1;
/** Seconds the live-stream section streams (the first `LIVE_WARM_UP_SECONDS` are not measured). */
export const LIVE_BENCH_SECONDS = 40;

/** What to run; every section is on unless skipped. */
export interface BenchOptions {
  /** The project root (fixtures, bin/, src/). */
  readonly projectRoot: string;
  /** ECG records; [] for the default (mitdb beside the project, else the synthetic fixture). */
  readonly records: readonly string[];
  /** Timed passes per stage, the best is kept. */
  readonly repeat: number;
  /** A .wav file or folder for the audio section; undefined for the default. */
  readonly audio: string | undefined;
  readonly ecg: boolean;
  readonly memory: boolean;
  readonly withAudio: boolean;
  readonly devices: boolean;
  readonly live: boolean;
}

/** The report `bench --json` prints; a section left out is absent. */
export interface BenchReport {
  readonly records?: readonly string[];
  readonly signalSeconds?: number;
  readonly samples?: number;
  readonly chunkSamples?: number;
  readonly repeat?: number;
  readonly stages?: readonly StageResult[];
  readonly pipelineXRealTime?: number;
  /** The exported C's stages against the TypeScript ones (same records, same run). */
  readonly c?: EcgCBench;
  readonly memory?: readonly MemoryResult[];
  readonly audio?: AudioBench;
  readonly decoders?: readonly DecoderBench[];
  readonly live?: readonly LiveBench[];
}

/** Where the data sets live by default: `../shared/datasets` beside the project. */
function defaults(projectRoot: string): { mitdb: string; fixture: string; fsdd: string; audioFixtures: string } {
  return {
    mitdb: resolve(projectRoot, '..', 'shared', 'datasets', 'mitdb'),
    fixture: resolve(projectRoot, 'fixtures', 'synthetic-ecg', 'ecgsyn_360hz'),
    fsdd: resolve(projectRoot, '..', 'shared', 'datasets', 'fsdd'),
    audioFixtures: resolve(projectRoot, 'fixtures', 'audio-digits'),
  };
}

/**
 * Run the benchmark sections `options` asks for.
 * @param log progress lines (stderr in the command)
 */
export async function runBench(options: BenchOptions, log: (line: string) => void): Promise<BenchReport> {
  const { projectRoot, repeat } = options;
  const paths = defaults(projectRoot);
  const chunkSamples = BENCH_CHUNK_SAMPLES;
  const bin = join(projectRoot, 'bin', 'edgespike.js');
  let ecgReport: BenchReport = {};
  if (options.ecg) {
    const records = await ecgBenchRecords(options.records, paths.mitdb, paths.fixture, log);
    const ecg = await benchEcg(records, chunkSamples, repeat, log);
    const c = await benchEcgC(records, ecg.results, repeat, log);
    let memory: MemoryResult[] | undefined;
    if (options.memory) {
      const longest = records.reduce((a, b) => (b.samples.length > a.samples.length ? b : a));
      log(`bench: replay processes (wall time incl. start-up, peak RSS) on ${longest.name} and a 3x copy`);
      memory = await benchReplayMemory(projectRoot, longest.path, longest.samples.length / longest.sampleRateHz, [
        ['node bin/edgespike.js', [bin]],
        ['node --import tsx src/cli.ts', ['--import', 'tsx', join(projectRoot, 'src', 'cli.ts')]],
      ], log);
    }
    ecgReport = {
      records: records.map((r) => r.name),
      signalSeconds: ecg.signalSeconds,
      samples: ecg.totalSamples,
      chunkSamples,
      repeat,
      stages: ecg.results,
      pipelineXRealTime: ecg.pipeline.xRealTime,
      c,
      memory,
    };
  }
  let audio: AudioBench | undefined;
  if (options.withAudio) {
    const { source, files } = await audioBenchClips(options.audio, paths.fsdd, paths.audioFixtures);
    // The default folders are named from the project (../shared/datasets/fsdd), not this machine's root.
    audio = await benchAudio(files, { source: source.replace(paths.fsdd, relative(projectRoot, paths.fsdd)).replace(paths.audioFixtures, 'fixtures/audio-digits'), chunkSamples, repeat, log });
  }
  let decoders: DecoderBench[] | undefined;
  if (options.devices) {
    log('bench: device-stream decoders (fixtures/devices, 64-byte chunks)');
    decoders = await benchDecoders(join(projectRoot, 'fixtures', 'devices'), repeat);
  }
  let live: LiveBench[] | undefined;
  if (options.live) {
    log(`bench: live AD8232 stream at 360 Hz through edgespike run on a pty (${LIVE_BENCH_SECONDS} s)`);
    const r = await benchLive(projectRoot, [bin], 'node bin/edgespike.js', LIVE_BENCH_SECONDS, log);
    live = r === undefined ? [] : [r];
    if (r !== undefined) {
      // The same stream again, publishing every event to a broker (the embedded one, in this process).
      log(`bench: the same stream with --mqtt to a local broker (${LIVE_BENCH_SECONDS} s)`);
      const broker = await startBroker({ host: '127.0.0.1', port: 0 });
      try {
        const m = await benchLive(projectRoot, [bin], 'node bin/edgespike.js --mqtt', LIVE_BENCH_SECONDS, log, ['--mqtt', broker.url, '--device-id', 'bench']);
        if (m !== undefined) live = [r, m];
      } finally {
        await broker.close();
      }
    }
  }
  return { ...ecgReport, audio, decoders, live };
}

const int = (v: number): string => Math.round(v).toLocaleString('en-US');

/** The report as the text `bench` prints. */
export function formatBenchText(report: BenchReport): string {
  const lines: string[] = [];
  const { records, signalSeconds, samples, chunkSamples, stages, pipelineXRealTime, c, memory, audio, decoders, live } = report;
  if (records !== undefined && signalSeconds !== undefined && samples !== undefined && stages !== undefined && pipelineXRealTime !== undefined) {
    lines.push(
      `ECG pipeline benchmark: ${records.length} record(s), ${(signalSeconds / 3600).toFixed(2)} h of signal at ${Math.round(samples / signalSeconds)} Hz, chunks of ${chunkSamples}`,
      '',
      `${'stage'.padEnd(38)} ${'x real time'.padStart(12)} ${'Msamples/s'.padStart(11)} ${'CPU / baseline'.padStart(15)}`,
      ...stages.map((r) => `${r.stage.padEnd(38)} ${int(r.xRealTime).padStart(12)} ${r.megaSamplesPerSecond.toFixed(1).padStart(11)} ${r.ratioToBaseline.toFixed(1).padStart(15)}`),
      '',
      `whole pipeline: ${int(pipelineXRealTime)} x real time on one core (target >= ${int(ECG_TARGET_X_REAL_TIME)})`,
    );
    if (c !== undefined) lines.push('', ...formatEcgCBench(c));
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
      lines.push(`${`${d.stream}${d.corrupted ? ', 1% corrupted' : ''}`.padEnd(32)} ${d.megabytesPerSecond.toFixed(1).padStart(8)} ${int(d.timesOneMbaud).padStart(10)}`);
    }
    lines.push(`slowest: ${int(Math.min(...decoders.map((d) => d.timesOneMbaud)))} x 1 Mbaud (target >= ${DECODER_TARGET_TIMES_ONE_MBAUD})`);
  }
  if (live !== undefined && live.length > 0) {
    lines.push('', `${'live AD8232 stream, 360 Hz'.padEnd(32)} ${'CPU % of a core'.padStart(16)} ${'peak RSS MB'.padStart(12)}`);
    for (const l of live) lines.push(`${l.launcher.padEnd(32)} ${l.cpuPercentOfOneCore.toFixed(2).padStart(16)} ${l.peakRssMb.toFixed(1).padStart(12)}`);
    const [plain, mqtt] = live;
    if (plain !== undefined && mqtt !== undefined) {
      lines.push(`publishing to MQTT costs ${(mqtt.cpuPercentOfOneCore - plain.cpuPercentOfOneCore).toFixed(2)} % of a core more (target < ${MQTT_TARGET_EXTRA_CPU_PERCENT})`);
    }
  }
  return lines.join('\n') + '\n';
}
