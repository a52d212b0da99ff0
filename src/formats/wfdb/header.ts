/**
 * WFDB header (`.hea`) parser: the record line and one line per signal.
 *
 * Record line: `name[/segments] nSignals [fs[/counterFreq[(base)]] [nSamples [time [date]]]]`
 * Signal line: `file format[xSpf][:skew][+offset] [gain[(baseline)][/units] [adcRes [adcZero
 * [initValue [checksum [blockSize [description]]]]]]]`
 * (PhysioNet, "header(5)": https://physionet.org/physiotools/wag/header-5.htm).
 * Multi-segment records and per-signal sample-rate multipliers other than 1 are rejected
 * with a clear error: edgespike reads single-segment records with one sample per frame.
 */
import { FormatError } from '../../core/errors.ts';
import { checkLimit, LIMITS } from '../../core/limits.ts';

/** One signal line of a WFDB header. */
export interface WfdbSignalSpec {
  /** Signal file name relative to the header's folder, e.g. `100.dat`. */
  readonly fileName: string;
  /** Storage format code: 212, 16, 61, 80 are decoded. */
  readonly format: number;
  /** Byte offset of the first sample in the signal file. @default 0 */
  readonly byteOffset: number;
  /** ADC units per physical unit (e.g. 200 adu/mV). @default 200 */
  readonly gainAduPerUnit: number;
  /** ADC value that corresponds to 0 physical units. @default adcZero */
  readonly baselineAdu: number;
  /** Physical unit name. @default 'mV' */
  readonly units: string;
  /** ADC resolution in bits. @default 12 (212) or 16 */
  readonly adcResolutionBits: number;
  /** ADC value at the middle of its range. @default 0 */
  readonly adcZero: number;
  /** First sample's value, if given. */
  readonly initialValue: number | undefined;
  /** 16-bit signed sum of all samples, if given. */
  readonly checksum: number | undefined;
  /** Signal description, e.g. `MLII`. */
  readonly description: string;
}

/** A parsed WFDB header. */
export interface WfdbHeader {
  readonly recordName: string;
  readonly sampleRateHz: number;
  /** Samples per signal; undefined when the header does not say (read to end of file). */
  readonly samplesPerSignal: number | undefined;
  readonly signals: readonly WfdbSignalSpec[];
  /** Comment lines (`#`), without the `#`. */
  readonly comments: readonly string[];
}

/** Default sampling frequency when a header gives none (WFDB convention). */
export const WFDB_DEFAULT_SAMPLE_RATE_HZ = 250;

function num(token: string, what: string, source: string): number {
  const value = Number(token);
  if (token === '' || !Number.isFinite(value)) {
    throw new FormatError(`${source}: ${what} must be a number (got "${token}")`);
  }
  return value;
}

function int(token: string, what: string, source: string): number {
  const value = num(token, what, source);
  if (!Number.isInteger(value)) {
    throw new FormatError(`${source}: ${what} must be an integer (got "${token}")`);
  }
  return value;
}

/**
 * Parse the text of a `.hea` file.
 * @param text the header file's contents
 * @param source a name for error messages, usually the header's path
 * @example parseWfdbHeader('100 2 360 650000\n100.dat 212 200 11 1024 995 -22131 0 MLII\n...')
 *   → { recordName: '100', sampleRateHz: 360, samplesPerSignal: 650000, signals: [...] }
 */
export function parseWfdbHeader(text: string, source = 'header'): WfdbHeader {
  const comments: string[] = [];
  const lines: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#')) {
      comments.push(trimmed.slice(1).trim());
    } else if (trimmed !== '') {
      const hash = trimmed.indexOf('#');
      lines.push(hash >= 0 ? trimmed.slice(0, hash).trim() : trimmed);
    }
  }
  const recordLine = lines[0];
  if (recordLine === undefined) {
    throw new FormatError(`${source}: empty header (no record line)`);
  }
  const rec = recordLine.split(/\s+/);
  const nameToken = rec[0] ?? '';
  if (nameToken.includes('/')) {
    throw new FormatError(`${source}: multi-segment records ("${nameToken}") are not supported`);
  }
  if (rec[1] === undefined) {
    throw new FormatError(`${source}: record line must give the number of signals`);
  }
  const nSignals = int(rec[1], 'number of signals', source);
  if (nSignals < 1) {
    throw new FormatError(`${source}: number of signals must be >= 1 (got ${nSignals})`);
  }
  checkLimit(source, 'number of signals', nSignals, LIMITS.channels, FormatError);
  let sampleRateHz = WFDB_DEFAULT_SAMPLE_RATE_HZ;
  if (rec[2] !== undefined) {
    sampleRateHz = num(rec[2].split('/')[0] ?? '', 'sampling frequency', source);
    if (!(sampleRateHz > 0)) {
      throw new FormatError(`${source}: sampling frequency must be > 0 (got ${sampleRateHz})`);
    }
    checkLimit(source, 'sampling frequency', sampleRateHz, LIMITS.sampleRateHz, FormatError);
  }
  let samplesPerSignal: number | undefined;
  if (rec[3] !== undefined) {
    samplesPerSignal = int(rec[3], 'number of samples', source);
    if (samplesPerSignal < 0) {
      throw new FormatError(`${source}: number of samples must be >= 0 (got ${samplesPerSignal})`);
    }
    if (samplesPerSignal === 0) samplesPerSignal = undefined;
  }
  if (lines.length - 1 < nSignals) {
    throw new FormatError(
      `${source}: record line says ${nSignals} signals but ${lines.length - 1} signal lines follow`,
    );
  }
  const signals: WfdbSignalSpec[] = [];
  for (let i = 0; i < nSignals; i++) {
    signals.push(parseSignalLine(lines[i + 1] ?? '', `${source} signal ${i}`));
  }
  const first = signals[0];
  for (const s of signals) {
    if (first !== undefined && (s.fileName !== first.fileName || s.format !== first.format)) {
      throw new FormatError(
        `${source}: signals stored in different files or formats are not supported ` +
          `(${first.fileName}/${first.format} and ${s.fileName}/${s.format})`,
      );
    }
  }
  return { recordName: nameToken, sampleRateHz, samplesPerSignal, signals, comments };
}

function parseSignalLine(line: string, source: string): WfdbSignalSpec {
  const fields = line.split(/\s+/);
  const fileName = fields[0] ?? '';
  const formatToken = fields[1];
  if (fileName === '' || formatToken === undefined) {
    throw new FormatError(`${source}: signal line must give a file name and a format`);
  }
  const fm = /^(\d+)(?:x(\d+))?(?::(-?\d+))?(?:\+(\d+))?$/.exec(formatToken);
  if (fm === null) {
    throw new FormatError(`${source}: bad format field "${formatToken}"`);
  }
  const format = Number(fm[1]);
  if (fm[2] !== undefined && Number(fm[2]) !== 1) {
    throw new FormatError(`${source}: ${fm[2]} samples per frame are not supported (only 1)`);
  }
  const byteOffset = fm[4] !== undefined ? Number(fm[4]) : 0;
  const adcResolutionBits =
    fields[3] !== undefined ? int(fields[3], 'ADC resolution', source) : format === 212 ? 12 : 16;
  const adcZero = fields[4] !== undefined ? int(fields[4], 'ADC zero', source) : 0;
  let gainAduPerUnit = 200;
  let baselineAdu = adcZero;
  let units = 'mV';
  if (fields[2] !== undefined) {
    const gm = /^([-+0-9.eE]+)(?:\((-?\d+)\))?(?:\/(\S+))?$/.exec(fields[2]);
    if (gm === null) throw new FormatError(`${source}: bad gain field "${fields[2]}"`);
    gainAduPerUnit = num(gm[1] ?? '', 'gain', source);
    if (gainAduPerUnit === 0) gainAduPerUnit = 200; // WFDB: 0 means "uncalibrated, use 200"
    if (gm[2] !== undefined) baselineAdu = Number(gm[2]);
    if (gm[3] !== undefined) units = gm[3];
  }
  const initialValue = fields[5] !== undefined ? int(fields[5], 'initial value', source) : undefined;
  const checksum = fields[6] !== undefined ? int(fields[6], 'checksum', source) : undefined;
  const description = fields.slice(8).join(' ');
  return {
    fileName,
    format,
    byteOffset,
    gainAduPerUnit,
    baselineAdu,
    units,
    adcResolutionBits,
    adcZero,
    initialValue,
    checksum,
    description,
  };
}
