/**
 * WFDB writers, the inverses of the decoders in this folder: header text (`.hea`), signal bytes
 * in formats 212 and 16 (`.dat`) and MIT-format annotation bytes (`.atr`). Pure: strings and
 * bytes out, the caller writes the files.
 *
 * References: PhysioNet "header(5)", "signal(5)" and "annot(5)"
 * (https://physionet.org/physiotools/wag/).
 */
import { ValidationError } from '../../core/errors.ts';
import type { Annotation } from './annotation.ts';
import { createWfdbChecksum, updateWfdbChecksum, wfdbChecksumOf } from './signal.ts';

/** Signal formats this module writes. */
export type WritableWfdbFormat = 212 | 16;

/** One signal line to write. Fields mirror `WfdbSignalSpec` from `header.ts`. */
export interface WfdbSignalLine {
  /** Signal file name relative to the header's folder, e.g. `rec.dat`. No whitespace. */
  readonly fileName: string;
  /** Storage format: 212 or 16. */
  readonly format: WritableWfdbFormat;
  /** ADC units per physical unit, > 0 (e.g. 200 adu/mV). */
  readonly gainAduPerUnit: number;
  /** ADC value that corresponds to 0 physical units. */
  readonly baselineAdu: number;
  /** Physical unit name, e.g. `mV`. No whitespace, no parentheses. */
  readonly units: string;
  /** ADC resolution in bits (at most 12 for format 212, 16 for format 16). */
  readonly adcResolutionBits: number;
  /** ADC value at the middle of its range. */
  readonly adcZero: number;
  /** First sample's value (the signal's sample 0). */
  readonly initialValue: number;
  /** 16-bit signed sum of all samples (see `wfdbChecksum`). */
  readonly checksum: number;
  /** Signal description, e.g. `MLII`; one line. */
  readonly description: string;
}

/** Everything a single-segment header holds. */
export interface WfdbHeaderSpec {
  /** Record name, no whitespace or `/`. */
  readonly recordName: string;
  /** Samples per second per signal, > 0. */
  readonly sampleRateHz: number;
  /** Samples per signal, an integer ≥ 0. */
  readonly samplesPerSignal: number;
  readonly signals: readonly WfdbSignalLine[];
  /** Comment lines written after the signal lines, without the `#`. @default [] */
  readonly comments?: readonly string[];
}

function requireToken(value: string, what: string, extra = ''): void {
  if (value === '' || /\s/.test(value) || (extra !== '' && new RegExp(`[${extra}]`).test(value))) {
    const also = extra !== '' ? ` or ${extra}` : '';
    throw new ValidationError(`"${what}" must be a non-empty token without whitespace${also} (got "${value}")`);
  }
}

function requireInteger(value: number, what: string): void {
  if (!Number.isInteger(value)) {
    throw new ValidationError(`"${what}" must be an integer (got ${value})`);
  }
}

/**
 * Format a WFDB header (`.hea`) that `parseWfdbHeader` reads back.
 *
 * Record line: `name nSignals sampleRateHz samplesPerSignal`.
 * Signal line: `file format gain(baseline)/units adcRes adcZero initValue checksum 0 description`
 * (block size is always 0). Lines end in `\n`.
 * @param spec record and signal fields; validated before anything is formatted
 * @returns the header text
 * @throws ValidationError naming the offending field
 * @example formatWfdbHeader({ recordName: 'r', sampleRateHz: 360, samplesPerSignal: 2,
 *   signals: [{ fileName: 'r.dat', format: 212, gainAduPerUnit: 200, baselineAdu: 1024,
 *   units: 'mV', adcResolutionBits: 11, adcZero: 1024, initialValue: 1030, checksum: 2060,
 *   description: 'ECG' }] })
 *   → 'r 1 360 2\nr.dat 212 200(1024)/mV 11 1024 1030 2060 0 ECG\n'
 * Cost: O(number of signals + comments).
 */
export function formatWfdbHeader(spec: WfdbHeaderSpec): string {
  requireToken(spec.recordName, 'recordName', '/');
  if (!(spec.sampleRateHz > 0) || !Number.isFinite(spec.sampleRateHz)) {
    throw new ValidationError(`"sampleRateHz" must be a finite number > 0 (got ${spec.sampleRateHz})`);
  }
  requireInteger(spec.samplesPerSignal, 'samplesPerSignal');
  if (spec.samplesPerSignal < 0) {
    throw new ValidationError(`"samplesPerSignal" must be >= 0 (got ${spec.samplesPerSignal})`);
  }
  if (spec.signals.length < 1) {
    throw new ValidationError('"signals" must hold at least one signal line');
  }
  const lines = [`${spec.recordName} ${spec.signals.length} ${spec.sampleRateHz} ${spec.samplesPerSignal}`];
  spec.signals.forEach((s, i) => {
    const at = `signals[${i}]`;
    requireToken(s.fileName, `${at}.fileName`);
    if (s.format !== 212 && s.format !== 16) {
      throw new ValidationError(`"${at}.format" must be 212 or 16 (got ${String(s.format)})`);
    }
    if (!(s.gainAduPerUnit > 0) || !Number.isFinite(s.gainAduPerUnit)) {
      throw new ValidationError(`"${at}.gainAduPerUnit" must be a finite number > 0 (got ${s.gainAduPerUnit})`);
    }
    requireToken(s.units, `${at}.units`, '()');
    for (const key of ['baselineAdu', 'adcResolutionBits', 'adcZero', 'initialValue', 'checksum'] as const) {
      requireInteger(s[key], `${at}.${key}`);
    }
    const maxBits = s.format === 212 ? 12 : 16;
    if (s.adcResolutionBits < 1 || s.adcResolutionBits > maxBits) {
      throw new ValidationError(
        `"${at}.adcResolutionBits" must be 1..${maxBits} for format ${s.format} (got ${s.adcResolutionBits})`,
      );
    }
    if (s.checksum < -32768 || s.checksum > 32767) {
      throw new ValidationError(`"${at}.checksum" must be a 16-bit signed value (got ${s.checksum})`);
    }
    if (/[\r\n]/.test(s.description)) {
      throw new ValidationError(`"${at}.description" must be one line`);
    }
    lines.push(
      `${s.fileName} ${s.format} ${s.gainAduPerUnit}(${s.baselineAdu})/${s.units} ${s.adcResolutionBits} ` +
        `${s.adcZero} ${s.initialValue} ${s.checksum} 0 ${s.description}`.trimEnd(),
    );
  });
  for (const comment of spec.comments ?? []) {
    if (/[\r\n]/.test(comment)) throw new ValidationError('header comments must be one line each');
    lines.push(`# ${comment}`.trimEnd());
  }
  return `${lines.join('\n')}\n`;
}

/**
 * WFDB checksum of one signal's samples: their sum taken as a 16-bit signed number.
 * @example wfdbChecksum(Int16Array.of(30000, 30000)) → -5536
 * Cost: O(n).
 */
export function wfdbChecksum(samples: Int16Array | Int32Array): number {
  const state = createWfdbChecksum(1);
  updateWfdbChecksum(state, samples, samples.length);
  return wfdbChecksumOf(state, 0);
}

/**
 * Encode samples in format 212: each pair s0, s1 of 12-bit two's-complement values becomes
 * three bytes  b0 = s0 & 0xff,  b1 = (s0 >> 8 & 0x0f) | (s1 >> 4 & 0xf0),  b2 = s1 & 0xff.
 * An odd final sample is padded with a 0 as its pair and, as the WFDB library and wfdb-python
 * write it, only the first two bytes of that last unit are stored: the file is
 * `wfdbSignalBytes(212, 1, n)` = ceil(3n / 2) bytes long.
 * @param flat interleaved samples, each in −2048..2047
 * @returns ceil(3n / 2) bytes
 * @throws RangeError naming the first sample outside −2048..2047
 * @example encodeFormat212(Int16Array.of(513, -1)) → Uint8Array [0x01, 0xf2, 0xff];
 *   encodeFormat212(Int16Array.of(100)) → Uint8Array [0x64, 0x00]
 * Cost: O(n), one allocation (the result).
 */
export function encodeFormat212(flat: Int16Array | Int32Array): Uint8Array {
  checkRange(flat, -2048, 2047, 212);
  const pairs = Math.ceil(flat.length / 2);
  const out = new Uint8Array(Math.ceil((flat.length * 3) / 2));
  for (let p = 0; p < pairs; p++) {
    const s0 = flat[2 * p] as number;
    const s1 = flat[2 * p + 1] ?? 0;
    out[3 * p] = s0 & 0xff;
    out[3 * p + 1] = ((s0 >> 8) & 0x0f) | ((s1 >> 4) & 0xf0);
    // For an odd count this index is past the end and the typed array ignores the write.
    if (3 * p + 2 < out.length) out[3 * p + 2] = s1 & 0xff;
  }
  return out;
}

/**
 * Encode samples in format 16: 16-bit two's complement, little-endian.
 * @param flat interleaved samples, each in −32768..32767
 * @returns 2·n bytes
 * @throws RangeError naming the first sample outside −32768..32767
 * @example encodeFormat16(Int16Array.of(1, -2)) → Uint8Array [0x01, 0x00, 0xfe, 0xff]
 * Cost: O(n), one allocation (the result).
 */
export function encodeFormat16(flat: Int16Array | Int32Array): Uint8Array {
  checkRange(flat, -32768, 32767, 16);
  const out = new Uint8Array(flat.length * 2);
  for (let i = 0; i < flat.length; i++) {
    const s = flat[i] as number;
    out[2 * i] = s & 0xff;
    out[2 * i + 1] = (s >> 8) & 0xff;
  }
  return out;
}

function checkRange(flat: Int16Array | Int32Array, min: number, max: number, format: number): void {
  for (let i = 0; i < flat.length; i++) {
    const s = flat[i] as number;
    if (s < min || s > max) {
      throw new RangeError(
        `format ${format} stores ${format === 212 ? '12' : '16'}-bit two's complement values ${min}..${max}; ` +
          `sample ${i} is ${s} (rescale or clip the signal, or use format ${format === 212 ? 16 : 32})`,
      );
    }
  }
}

/** An annotation to write; fields other than `sample` and `code` default to 0 / ''. */
export type MitAnnotationInput = Pick<Annotation, 'sample' | 'code'> &
  Partial<Pick<Annotation, 'subtype' | 'chan' | 'num' | 'aux'>>;

const SKIP = 59;
const NUM = 60;
const SUB = 61;
const CHN = 62;
const AUX = 63;
/** Largest interval an annotation word's 10-bit field holds; longer ones need a SKIP. */
const MAX_WORD_INTERVAL = 1023;
/** Highest annotation type code (WFDB `ACMAX`); 59..63 are pseudo-codes. */
const MAX_ANNOTATION_CODE = 49;

/**
 * Encode annotations in the MIT format that `parseMitAnnotations` reads.
 *
 * Per annotation: [SKIP word + 32-bit interval, when the interval from the previous annotation
 * is > 1023 samples or negative] → word `code << 10 | interval` → [SUB word if subtype ≠ 0]
 * → [CHN word if chan changed] → [NUM word if num changed] → [AUX word + text, padded to even
 * length, if aux ≠ ''].  The file ends with the 0 word.
 * @param annotations in non-decreasing `sample` order
 * @returns the file's bytes
 * @throws ValidationError naming the annotation and field that cannot be encoded
 * @example encodeMitAnnotations([{ sample: 5, code: 1 }]) → Uint8Array [0x05, 0x04, 0x00, 0x00]
 * Cost: O(annotations + aux text).
 */
export function encodeMitAnnotations(annotations: readonly MitAnnotationInput[]): Uint8Array {
  const bytes: number[] = [];
  const pushWord = (w: number): void => {
    bytes.push(w & 0xff, (w >> 8) & 0xff);
  };
  let time = 0;
  let chan = 0;
  let num = 0;
  annotations.forEach((a, i) => {
    const at = `annotations[${i}]`;
    if (!Number.isInteger(a.sample) || a.sample < 0) {
      throw new ValidationError(`"${at}.sample" must be an integer >= 0 (got ${a.sample})`);
    }
    if (a.sample < time) {
      throw new ValidationError(
        `"${at}.sample" ${a.sample} is before the previous annotation (${time}); sort first`,
      );
    }
    if (!Number.isInteger(a.code) || a.code < 1 || a.code > MAX_ANNOTATION_CODE) {
      throw new ValidationError(`"${at}.code" must be 1..${MAX_ANNOTATION_CODE} (got ${a.code})`);
    }
    const subtype = a.subtype ?? 0;
    const annChan = a.chan ?? 0;
    const annNum = a.num ?? 0;
    const aux = a.aux ?? '';
    checkField(subtype, -512, 511, `${at}.subtype`);
    checkField(annNum, -512, 511, `${at}.num`);
    checkField(annChan, 0, 1023, `${at}.chan`);
    let interval = a.sample - time;
    if (interval > MAX_WORD_INTERVAL) {
      if (interval > 0x7fffffff) {
        throw new ValidationError(`"${at}.sample" is more than 2^31 - 1 samples after the previous one`);
      }
      pushWord(SKIP << 10);
      pushWord((interval >>> 16) & 0xffff);
      pushWord(interval & 0xffff);
      interval = 0;
    }
    pushWord((a.code << 10) | interval);
    time = a.sample;
    if (subtype !== 0) pushWord((SUB << 10) | (subtype & 0x3ff));
    if (annChan !== chan) {
      pushWord((CHN << 10) | annChan);
      chan = annChan;
    }
    if (annNum !== num) {
      pushWord((NUM << 10) | (annNum & 0x3ff));
      num = annNum;
    }
    if (aux !== '') {
      if (aux.length > 255) {
        throw new ValidationError(`"${at}.aux" must be at most 255 characters (got ${aux.length})`);
      }
      pushWord((AUX << 10) | aux.length);
      for (let k = 0; k < aux.length; k++) {
        const c = aux.charCodeAt(k);
        if (c === 0 || c > 255) {
          throw new ValidationError(`"${at}.aux" must hold Latin-1 characters other than NUL (got code ${c})`);
        }
        bytes.push(c);
      }
      if (aux.length & 1) bytes.push(0);
    }
  });
  pushWord(0);
  return Uint8Array.from(bytes);
}

function checkField(value: number, min: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(`"${what}" must be an integer in ${min}..${max} (got ${value})`);
  }
}
