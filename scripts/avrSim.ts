/**
 * The AD8232 beats sketch in the simavr simulator: build it with avr-gcc (ATmega328P, 16 MHz,
 * -Os) against the stand-in core in devices/sparkfun-ad8232/simavr/core, build the simulator
 * harness (devices/sparkfun-ad8232/simavr/ad8232_sim.c, linked with libsimavr), play ADC
 * samples into the sketch and read back its lines. Shared by `npm run avr-check` and
 * tests/devices/avrSimulation.test.ts.
 *
 * Tools: Debian's gcc-avr, avr-libc, simavr, libsimavr-dev and libelf-dev, and a host gcc.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createQrsBandpass, processQrsBandpass } from '../src/condition/qrsBandpass.ts';
import { createDeltaEncoder, encodeWholeSignal, processDeltaEncoder } from '../src/encode/deltaEncoder.ts';
import { encodeAsciiLines } from '../src/formats/devices/ad8232Ascii.ts';
import { createDeviceStream, decodeDeviceStream } from '../src/formats/devices/deviceStream.ts';
import { pipelineCountsPerRaw } from '../src/formats/devices/profile.ts';
import { detectEncodedEcg } from '../src/pipeline/ecgKernels.ts';
import { loadEcgModel, SINGLE_BAND_ECG_MODEL_PATH, type EcgModel } from '../src/pipeline/ecgModel.ts';
import { loadDeviceProfile } from '../src/sources/deviceProfile.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEVICE_DIR = join(ROOT, 'devices', 'sparkfun-ad8232');
/** The sketch folder: the .ino, ad8232_counts.h and the exported edgespike_ecg.c/.h. */
export const SKETCH_DIR = join(DEVICE_DIR, 'edgespike_ad8232_beats');
const SIM_DIR = join(DEVICE_DIR, 'simavr');

/** The AD8232 profile's scale (devices/sparkfun-ad8232/profile.json): ADC counts per mV and at 0 mV. */
export const AD8232_ZERO_COUNTS = 337.92;
export const AD8232_COUNTS_PER_MV = 225.28;

/** Cycles of one sample period at 16 MHz and 360 Hz: 16e6 / 360. */
export const CYCLES_PER_SAMPLE_PERIOD = 16e6 / 360;
/** The ATmega328P's RAM, bytes. */
export const ATMEGA328P_RAM_BYTES = 2048;

/**
 * Why the simulation cannot run here, or undefined when it can: the first missing tool.
 * @example avrToolsMissing() → 'avr-gcc not found (apt-get install gcc-avr avr-libc)'
 */
export function avrToolsMissing(): string | undefined {
  const need: [string, string][] = [
    ['avr-gcc', 'gcc-avr avr-libc'],
    ['avr-g++', 'gcc-avr avr-libc'],
    ['avr-size', 'binutils-avr'],
    ['avr-nm', 'binutils-avr'],
    ['gcc', 'gcc'],
  ];
  for (const [tool, pkg] of need) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} not found (apt-get install ${pkg})`;
  }
  if (!existsSync('/usr/include/simavr/sim_avr.h')) return 'simavr headers not found (apt-get install simavr libsimavr-dev)';
  if (!existsSync('/usr/include/libelf.h') && !existsSync('/usr/include/libelf/libelf.h')) return 'libelf headers not found (apt-get install libelf-dev)';
  return undefined;
}

/** A built sketch: its ELF and its static RAM. */
export interface SketchBuild {
  readonly elf: string;
  /** .data and .bss, bytes (avr-size). */
  readonly dataBytes: number;
  readonly bssBytes: number;
  /** Flash: .text + .data, bytes. */
  readonly flashBytes: number;
  /** The first address above .bss (`_end`): the stack may use everything from there to RAMEND. */
  readonly endAddress: number;
}

const AVR_FLAGS = ['-mmcu=atmega328p', '-Os', '-DF_CPU=16000000UL', '-Wall', '-Wextra', '-Werror', '-ffunction-sections', '-fdata-sections'];

/**
 * Build the beats sketch for the simulator into `outDir` (the sketch's own files, unchanged,
 * with the stand-in core for Arduino.h).
 * @param sketchDir the folder holding the .ino and the exported C. @default SKETCH_DIR
 */
export function buildSketch(outDir: string, sketchDir: string = SKETCH_DIR): SketchBuild {
  mkdirSync(outDir, { recursive: true });
  const ino = readdirSync(sketchDir).find((f) => f.endsWith('.ino'));
  if (ino === undefined) throw new Error(`no .ino in ${sketchDir}`);
  const include = [`-I${join(SIM_DIR, 'core')}`, `-I${sketchDir}`];
  const objects: string[] = [];
  const compile = (tool: string, args: string[], source: string, object: string): void => {
    execFileSync(tool, [...AVR_FLAGS, ...include, ...args, '-c', source, '-o', join(outDir, object)], { stdio: ['ignore', 'ignore', 'pipe'] });
    objects.push(join(outDir, object));
  };
  const cxx = ['-std=gnu++11', '-fno-exceptions', '-fno-threadsafe-statics'];
  compile('avr-g++', [...cxx, '-x', 'c++'], join(sketchDir, ino), 'sketch.o');
  compile('avr-g++', cxx, join(SIM_DIR, 'core', 'core.cpp'), 'core.o');
  for (const c of readdirSync(sketchDir).filter((f) => f.endsWith('.c'))) compile('avr-gcc', ['-std=c99'], join(sketchDir, c), `${c}.o`);
  const elf = join(outDir, 'sketch.elf');
  execFileSync('avr-g++', [...AVR_FLAGS, '-Wl,--gc-sections', ...objects, '-o', elf], { stdio: ['ignore', 'ignore', 'pipe'] });
  const sections = new Map<string, number>();
  for (const line of execFileSync('avr-size', ['-A', elf], { encoding: 'utf8' }).split('\n')) {
    const m = /^(\.\w+)\s+(\d+)/.exec(line);
    if (m !== null) sections.set(m[1] as string, Number(m[2]));
  }
  const end = /^([0-9a-f]+) \w _end$/m.exec(execFileSync('avr-nm', [elf], { encoding: 'utf8' }));
  if (end === null) throw new Error(`no _end symbol in ${elf}`);
  const dataBytes = sections.get('.data') ?? 0;
  return {
    elf,
    dataBytes,
    bssBytes: sections.get('.bss') ?? 0,
    flashBytes: (sections.get('.text') ?? 0) + dataBytes,
    endAddress: parseInt(end[1] as string, 16) & 0xffff,
  };
}

/** Build the simulator harness into `outDir`. @returns its path */
export function buildSimulator(outDir: string): string {
  mkdirSync(outDir, { recursive: true });
  const exe = join(outDir, 'ad8232_sim');
  execFileSync('gcc', ['-O2', '-Wall', '-Wextra', '-o', exe, join(SIM_DIR, 'ad8232_sim.c'), '-I/usr/include/simavr', '-lsimavr', '-lelf'], { stdio: ['ignore', 'ignore', 'pipe'] });
  return exe;
}

/** What the simulator measured (its stderr JSON line). */
export interface SimulationStats {
  readonly samples: number;
  readonly ticks: number;
  readonly detectorCalls: number;
  readonly detectorCyclesMean: number;
  readonly detectorCyclesMax: number;
  /** Cycles the CPU was awake per sample period (interrupts, printing, converting, detecting). */
  readonly busyCyclesMean: number;
  readonly busyCyclesMax: number;
  /** Stack high-water mark, bytes (painted RAM the run overwrote). */
  readonly stackBytes: number;
  readonly simulatedSeconds: number;
}

/** The sketch's output: its sample lines (ADC values, '!'), its beats, and the measurements. */
export interface SimulationRun {
  readonly values: (number | '!')[];
  /** The board's `B <n>` lines, in order. */
  readonly beats: number[];
  /** The UART output as sent. */
  readonly text: string;
  readonly stats: SimulationStats;
}

/**
 * Play `values` (ADC values 0..1023, '!' for a leads-off period) into the sketch, then
 * `padSamples` more periods of the last value.
 */
export function simulate(simulator: string, build: SketchBuild, values: ArrayLike<number | '!'>, padSamples: number, workDir: string): SimulationRun {
  const input = join(workDir, 'samples.txt');
  let text = '';
  for (let i = 0; i < values.length; i++) text += `${String(values[i])}\n`;
  writeFileSync(input, text);
  const r = spawnSync(simulator, [build.elf, input, build.endAddress.toString(16), String(padSamples)], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`ad8232_sim failed (${String(r.status)}): ${r.stderr}`);
  const statsLine = r.stderr.trim().split('\n').at(-1) ?? '';
  const stats = JSON.parse(statsLine) as SimulationStats;
  const out: (number | '!')[] = [];
  const beats: number[] = [];
  for (const line of r.stdout.split('\r\n')) {
    if (line === '') continue;
    if (line === '!') out.push('!');
    else if (line.startsWith('B ')) beats.push(Number(line.slice(2)));
    else out.push(Number(line));
  }
  return { values: out, beats, text: r.stdout, stats };
}

/**
 * An ECG in pipeline counts (5 µV) as the AD8232 board would deliver it to the Arduino's ADC:
 * adc = round(337.92 + counts · 225.28 / 200), clipped to 0..1023 (the profile's scale; the
 * real board's output swings 0..675 counts around 337.92, ±1.5 mV).
 */
export function countsToAdc(counts: ArrayLike<number>): number[] {
  const out: number[] = new Array<number>(counts.length);
  for (let i = 0; i < counts.length; i++) {
    const adc = Math.round(AD8232_ZERO_COUNTS + ((counts[i] as number) * AD8232_COUNTS_PER_MV) / 200);
    out[i] = Math.min(1023, Math.max(0, adc));
  }
  return out;
}

/**
 * The host's reading of ADC lines for the profile sparkfun-ad8232: the project's own decoder
 * (`deviceStream`), so leads-off periods are filled with the last value when the leads come back.
 */
export function hostCounts(values: readonly (number | '!')[]): Int32Array {
  const profile = loadDeviceProfile('sparkfun-ad8232');
  const channel = profile.channels[0];
  if (channel === undefined) throw new Error('sparkfun-ad8232 has no channel');
  const stream = createDeviceStream({ framing: 'ascii-lines', zeroCounts: channel.zeroCounts, countsPerRaw: pipelineCountsPerRaw(channel) });
  const { samples } = decodeDeviceStream(stream, encodeAsciiLines(values));
  return samples;
}

/**
 * The TypeScript kernels' beats on a signal in pipeline counts at 360 Hz, with the delta
 * modulator primed with the first block (as the pipeline runs) or not (as the board's build
 * with EDGESPIKE_ECG_PRIME=0): band-pass, encoder, network, beat detector, then the flush.
 */
export function referenceBeats(counts: Int32Array, prime: boolean, model: EcgModel = loadEcgModel(SINGLE_BAND_ECG_MODEL_PATH)): number[] {
  const signal = new Int32Array(counts.length);
  processQrsBandpass(createQrsBandpass(model.bandpass), counts, counts.length, signal);
  const spikes = new Uint8Array(2 * counts.length);
  const encoder = createDeltaEncoder(model.encoder);
  const spikeCount = prime ? encodeWholeSignal(encoder, signal, spikes) : processDeltaEncoder(encoder, signal, signal.length, spikes);
  return detectEncodedEcg(model, { signal, spikes, spikeCount }, model.tickRateHz).beats;
}
