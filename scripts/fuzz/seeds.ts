/**
 * Seed files for the fuzzer: the project's fixtures as they are, and variants made from them
 * so every decoder path has a valid starting point (WFDB formats 16, 61 and 80 and two
 * signals; CSV files with several columns, other separators and units; WAV files in 8, 24 and
 * 32-bit integers, float, stereo, WAVE_FORMAT_EXTENSIBLE, with extra chunks). Made once per
 * project root, with the project's own writers where it has them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWav } from '../../src/formats/wav.ts';
import { encodeFormat16, encodeFormat212, formatWfdbHeader, wfdbChecksum } from '../../src/formats/wfdb/writer.ts';
import { writeEdf } from '../../src/formats/edf/writer.ts';
import { beatSamples, parseMitAnnotations } from '../../src/formats/wfdb/annotation.ts';

/** Files of one seed: name → bytes. */
export type SeedFiles = ReadonlyMap<string, Buffer>;

const ECG = 'fixtures/synthetic-ecg/ecgsyn_360hz';
/** Seconds of the synthetic ECG in the derived WFDB and CSV seeds (short, so a case runs fast). */
const VARIANT_SECONDS = 30;
const RATE_HZ = 360;

const cache = new Map<string, unknown>();
function cached<T>(key: string, make: () => T): T {
  if (!cache.has(key)) cache.set(key, make());
  return cache.get(key) as T;
}

/** A file of the project, read once. */
export function projectFile(root: string, path: string): Buffer {
  return cached(`file:${join(root, path)}`, () => readFileSync(join(root, path)));
}

/** The synthetic ECG's ADC values (format 212, 12-bit two's complement). */
function ecgAdc(root: string): Int16Array {
  return cached(`adc:${root}`, () => {
    const bytes = projectFile(root, `${ECG}.dat`);
    const out = new Int16Array(Math.floor((bytes.length * 2) / 3));
    for (let p = 0; 3 * p + 2 < bytes.length; p++) {
      const [b0, b1, b2] = [bytes[3 * p] as number, bytes[3 * p + 1] as number, bytes[3 * p + 2] as number];
      out[2 * p] = (((b1 & 0x0f) << 8) | b0) << 20 >> 20;
      out[2 * p + 1] = (((b1 & 0xf0) << 4) | b2) << 20 >> 20;
    }
    return out;
  });
}

/** One signal line of a header written by hand (formats the writer does not write). */
function signalLine(file: string, format: string, gain: number, baseline: number, bits: number, samples: Int16Array, description: string): string {
  return `${file} ${format} ${gain}(${baseline})/mV ${bits} ${baseline} ${samples[0] ?? 0} ${wfdbChecksum(samples)} 0 ${description}`;
}

/**
 * WFDB records to mutate, as `ecgsyn_360hz.{hea,dat}`: the fixture (212, one signal, 300 s)
 * and 30 s variants in format 16 with two signals, 61 (big-endian), 80 (8-bit offset) and 212
 * with two signals and a byte offset.
 */
export function wfdbSeeds(root: string): readonly { readonly name: string; readonly files: SeedFiles }[] {
  return cached(`wfdb:${root}`, () => {
    const adc = ecgAdc(root).subarray(0, VARIANT_SECONDS * RATE_HZ);
    const n = adc.length;
    const inverted = adc.map((v) => -v);
    const interleave = (a: Int16Array, b: Int16Array): Int16Array => {
      const out = new Int16Array(a.length * 2);
      for (let i = 0; i < a.length; i++) {
        out[2 * i] = a[i] as number;
        out[2 * i + 1] = b[i] as number;
      }
      return out;
    };
    const record = (hea: string, dat: Uint8Array): SeedFiles =>
      new Map([
        ['ecgsyn_360hz.hea', Buffer.from(hea, 'utf8')],
        ['ecgsyn_360hz.dat', Buffer.from(dat)],
      ]);
    const line = (format: 212 | 16, samples: Int16Array, description: string) => ({
      fileName: 'ecgsyn_360hz.dat', format, gainAduPerUnit: 200, baselineAdu: 0, units: 'mV', adcResolutionBits: 12,
      adcZero: 0, initialValue: samples[0] ?? 0, checksum: wfdbChecksum(samples), description,
    });
    const two16 = formatWfdbHeader({ recordName: 'ecgsyn_360hz', sampleRateHz: RATE_HZ, samplesPerSignal: n, signals: [line(16, adc, 'MLII'), line(16, inverted, 'V1')] });
    const be = Buffer.alloc(n * 2);
    adc.forEach((v, i) => be.writeInt16BE(v, 2 * i));
    const f61 = `ecgsyn_360hz 1 ${RATE_HZ} ${n}\n${signalLine('ecgsyn_360hz.dat', '61', 200, 0, 16, adc, 'MLII')}\n`;
    const eight = adc.map((v) => Math.max(-128, Math.min(127, v >> 3)));
    const f80 = `ecgsyn_360hz 1 ${RATE_HZ} ${n}\n${signalLine('ecgsyn_360hz.dat', '80', 25, 0, 8, eight, 'MLII')}\n`;
    const offset = 512;
    const two212 = formatWfdbHeader({ recordName: 'ecgsyn_360hz', sampleRateHz: RATE_HZ, samplesPerSignal: n, signals: [line(212, adc, 'MLII'), line(212, inverted, 'V1')] })
      .replaceAll('ecgsyn_360hz.dat 212 ', `ecgsyn_360hz.dat 212+${offset} `);
    return [
      { name: 'fixture (212, 1 signal, 300 s)', files: record(projectFile(root, `${ECG}.hea`).toString('utf8'), projectFile(root, `${ECG}.dat`)) },
      { name: 'format 16, 2 signals', files: record(two16, encodeFormat16(interleave(adc, inverted))) },
      { name: 'format 61', files: record(f61, be) },
      { name: 'format 80', files: record(f80, Uint8Array.from(eight, (v) => v + 128)) },
      { name: 'format 212+512, 2 signals', files: record(two212, Buffer.concat([Buffer.alloc(offset), encodeFormat212(interleave(adc, inverted))])) },
    ];
  });
}

/**
 * CSV files to mutate: the fixture (one mV column, 300 s) and 30 s variants: two named
 * columns; semicolons; tabs in µV; counts without a rate line (given as --rate).
 */
export function csvSeeds(root: string): readonly { readonly name: string; readonly text: string; readonly args: readonly string[] }[] {
  return cached(`csv:${root}`, () => {
    const fixture = projectFile(root, `${ECG}.csv`).toString('utf8');
    const values = fixture
      .split('\n')
      .filter((l) => /^-?\d/.test(l))
      .slice(0, VARIANT_SECONDS * RATE_HZ)
      .map(Number);
    const rows = (f: (v: number) => string): string => `${values.map(f).join('\n')}\n`;
    return [
      { name: 'fixture', text: fixture, args: [] },
      { name: 'two columns', text: `# sampleRateHz=360\nlead_i,lead_ii\n${rows((v) => `${v.toFixed(3)},${(-v).toFixed(3)}`)}`, args: ['--channel', 'lead_ii'] },
      { name: 'semicolons', text: `# sampleRateHz=360\n${rows((v) => `${v.toFixed(3)};0.000;1`)}`, args: [] },
      { name: 'tabs, µV', text: `# sampleRateHz=360\necg_uv\tother\n${rows((v) => `${Math.round(v * 1000)}\t7`)}`, args: ['--units', 'uV'] },
      { name: 'counts, --rate', text: rows((v) => String(Math.round(v * 200))), args: ['--rate', '360', '--units', 'counts'] },
    ];
  });
}

/** The 16-bit samples and rate of a WAV fixture (a plain PCM file). */
function wavSamples(bytes: Buffer): { samples: Int16Array; rateHz: number } {
  let at = 12;
  let rateHz = 8000;
  while (at + 8 <= bytes.length) {
    const id = bytes.toString('latin1', at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    if (id === 'fmt ') rateHz = bytes.readUInt32LE(at + 12);
    if (id === 'data') {
      const data = bytes.subarray(at + 8, at + 8 + size);
      const samples = new Int16Array(data.length >> 1);
      for (let i = 0; i < samples.length; i++) samples[i] = data.readInt16LE(2 * i);
      return { samples, rateHz };
    }
    at += 8 + size + (size & 1);
  }
  return { samples: new Int16Array(0), rateHz };
}

/** The encodings a WAV seed may be rewritten in (the fixtures are 16-bit mono PCM). */
const WAV_VARIANTS = ['as is', '8-bit', '24-bit', '32-bit', 'float', 'stereo', 'extensible', 'extra chunks', '44.1 kHz header'] as const;

/** A WAV fixture rewritten in variant `variant` (one of WAV_VARIANTS). */
export function wavSeed(root: string, path: string, variant: number): { readonly name: string; readonly bytes: Buffer } {
  const which = WAV_VARIANTS[variant % WAV_VARIANTS.length] as (typeof WAV_VARIANTS)[number];
  return cached(`wav:${root}:${path}:${which}`, () => {
    const original = projectFile(root, path);
    const { samples, rateHz } = wavSamples(original);
    const s = Array.from(samples);
    const encode = (): Uint8Array => {
      switch (which) {
        case 'as is':
          return original;
        case '8-bit':
          return encodeWav(s.map((v) => v >> 8), { sampleRateHz: rateHz, bitsPerSample: 8 });
        case '24-bit':
          return encodeWav(s.map((v) => v * 256), { sampleRateHz: rateHz, bitsPerSample: 24 });
        case '32-bit':
          return encodeWav(s.map((v) => v * 65536), { sampleRateHz: rateHz, bitsPerSample: 32 });
        case 'float':
          return encodeWav(s.map((v) => v / 32768), { sampleRateHz: rateHz, float: true });
        case 'stereo':
          return encodeWav(s.flatMap((v) => [v, -v]), { sampleRateHz: rateHz, channels: 2 });
        case 'extensible':
          return encodeWav(s, { sampleRateHz: rateHz, extensible: true });
        case 'extra chunks':
          return encodeWav(s, { sampleRateHz: rateHz, chunksBefore: [{ id: 'LIST', bytes: Buffer.from('INFOISFT\x05\x00\x00\x00fuzz\x00', 'latin1') }, { id: 'fact', bytes: Buffer.alloc(3) }] });
        default:
          // The same samples said to be at 44.1 kHz: resampled down to 8 kHz.
          return encodeWav(s, { sampleRateHz: 44_100 });
      }
    };
    return { name: `${path.split('/').pop() ?? path} (${which})`, bytes: Buffer.from(encode()) };
  });
}

/** How many WAV variants there are. */
export const WAV_VARIANT_COUNT = WAV_VARIANTS.length;

/**
 * EDF files to mutate: the synthetic ECG's first 30 s as EDF+C and BDF+C (written by the
 * project's writer, one 1 s data record each, the .atr beats as "N" annotations), and as
 * EDF+C with 2 s records and a second, inverted signal.
 */
export function edfSeeds(root: string): readonly { readonly name: string; readonly bytes: Buffer }[] {
  return cached(`edf:${root}`, () => {
    const samples = Int32Array.from(ecgAdc(root).subarray(0, VARIANT_SECONDS * RATE_HZ));
    const beats = beatSamples(parseMitAnnotations(projectFile(root, `${ECG}.atr`))).filter((b) => b < samples.length);
    const annotations = beats.map((b) => ({ onsetSeconds: b / RATE_HZ, text: 'N' }));
    const write = (options: Parameters<typeof writeEdf>[0]): Buffer => Buffer.concat([...writeEdf(options)]);
    return [
      { name: 'EDF+C', bytes: write({ sampleRateHz: RATE_HZ, signals: [{ label: 'ECG MLII', samples }], annotations }) },
      { name: 'BDF+C', bytes: write({ format: 'bdf', sampleRateHz: RATE_HZ, signals: [{ label: 'ECG MLII', samples }], annotations }) },
      {
        name: 'EDF+C, 2 s records, 2 signals',
        bytes: write({ sampleRateHz: RATE_HZ, recordDurationSeconds: 2, signals: [{ label: 'ECG MLII', samples }, { label: 'ECG V1', samples: samples.map((v) => -v) }], annotations }),
      },
    ];
  });
}
