/**
 * EDF+ annotations: the `EDF Annotations` signal of each data record holds Time-stamped
 * Annotation Lists (TALs), each
 *   +onset[\x15duration]\x14text\x14text\x14...\x00
 * - `onset`: seconds from the file's start, with a sign (`+0.5`, `-2`); `duration` in s;
 * - the first TAL of every record is its time-keeping TAL, `+start\x14\x14\x00` (no text):
 *   the record's start, s;
 * - after the last TAL the record's annotation bytes are `\x00` padding.
 * The samples of the signal are bytes read in file order (the 2- or 3-byte "samples" are not
 * numbers). Reference: EDF+ specification, section 2.2 (https://www.edfplus.info/specs/edfplus.html).
 */
import { FormatError } from '../../core/errors.ts';

/** One annotation. */
export interface EdfAnnotation {
  /** Onset, s from the file's start. */
  readonly onsetSeconds: number;
  /** Duration, s; undefined when the TAL gives none. */
  readonly durationSeconds: number | undefined;
  readonly text: string;
}

/** What one data record's annotation bytes hold. */
export interface EdfRecordAnnotations {
  /** The record's start from its time-keeping TAL, s (undefined when the record has no TAL). */
  readonly recordStartSeconds: number | undefined;
  readonly annotations: EdfAnnotation[];
}

const ONSET = /^[+-]\d+(\.\d*)?$/;
const DURATION = /^\d+(\.\d*)?$/;

/**
 * Parse the annotation bytes of one data record. Bounded: looks at `bytes` only.
 * @param bytes the record's annotation-signal bytes
 * @param where the file and record, for messages (e.g. `x.edf data record 3`)
 * @throws FormatError naming the TAL and what is wrong (an onset without sign, a bad number, a
 *   TAL not ended by \x14\x00)
 * @example parseEdfTals(bytes('+0\x14\x14\x00+1.5\x150.2\x14N\x14\x00\x00'), 'x').annotations
 *   → [{ onsetSeconds: 1.5, durationSeconds: 0.2, text: 'N' }]
 * Cost: O(bytes).
 */
export function parseEdfTals(bytes: Uint8Array, where: string): EdfRecordAnnotations {
  const annotations: EdfAnnotation[] = [];
  let recordStartSeconds: number | undefined;
  let p = 0;
  let first = true;
  while (p < bytes.length && bytes[p] !== 0) {
    let end = p;
    while (end < bytes.length && bytes[end] !== 0) end++;
    if (end === bytes.length) throw new FormatError(`${where}: a TAL at byte ${p} is not ended by \\x00 before the record's annotation bytes end`);
    const tal = new TextDecoder('utf-8').decode(bytes.subarray(p, end));
    if (!tal.endsWith('\x14')) throw new FormatError(`${where}: the TAL at byte ${p} does not end with \\x14 before its \\x00`);
    const parts = tal.slice(0, -1).split('\x14');
    const [timing = '', ...texts] = parts;
    const [onsetText = '', durationText, ...extra] = timing.split('\x15');
    if (!ONSET.test(onsetText) || extra.length > 0) {
      throw new FormatError(`${where}: the TAL at byte ${p} has onset "${timing.split('\x15').join('\\x15')}"; it must be +seconds or -seconds (optionally \\x15duration)`);
    }
    if (durationText !== undefined && !DURATION.test(durationText)) {
      throw new FormatError(`${where}: the TAL at byte ${p} has duration "${durationText}"; it must be a number of seconds >= 0`);
    }
    const onsetSeconds = Number(onsetText);
    const durationSeconds = durationText === undefined ? undefined : Number(durationText);
    if (first && texts.length >= 1 && texts[0] === '') recordStartSeconds = onsetSeconds;
    for (const text of first ? texts.slice(1) : texts) {
      if (text !== '') annotations.push({ onsetSeconds, durationSeconds, text });
    }
    first = false;
    p = end + 1;
  }
  return { recordStartSeconds, annotations };
}

/**
 * The bytes of TALs: a time-keeping TAL for `recordStartSeconds` then one TAL per annotation.
 * @example encodeEdfTals(0, [{ onsetSeconds: 1.5, text: 'N' }]) → '+0\x14\x14\x00+1.5\x14N\x14\x00' as bytes
 */
export function encodeEdfTals(recordStartSeconds: number, annotations: readonly { onsetSeconds: number; durationSeconds?: number; text: string }[]): Uint8Array {
  const signed = (s: number): string => (s < 0 ? '-' : '+') + formatSeconds(Math.abs(s));
  let text = `${signed(recordStartSeconds)}\x14\x14\x00`;
  for (const a of annotations) {
    const duration = a.durationSeconds === undefined ? '' : `\x15${formatSeconds(a.durationSeconds)}`;
    text += `${signed(a.onsetSeconds)}${duration}\x14${a.text}\x14\x00`;
  }
  return new TextEncoder().encode(text);
}

/** Seconds without exponent or needless zeros (`1.5`, `0.000001`). */
function formatSeconds(seconds: number): string {
  return seconds.toFixed(6).replace(/\.?0+$/, '');
}
