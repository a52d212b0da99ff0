/**
 * WFDB annotation files in the MIT format (`.atr`): a sequence of 16-bit little-endian words,
 * each a 6-bit code A (high bits) and a 10-bit field I (low bits).
 *
 * - A = 1..49: an annotation of that type, I samples after the previous one.
 * - A = 59 SKIP: the next 4 bytes are a 32-bit interval (high 16 bits first, each half LE).
 * - A = 60 NUM, 61 SUB, 62 CHN: set the num, subtype, chan fields of the current annotation.
 * - A = 63 AUX: I bytes of auxiliary text follow, padded to an even length.
 * - A = 0 and I = 0: end of file.
 * (PhysioNet "annot(5)": https://physionet.org/physiotools/wag/annot-5.htm)
 */
import { FormatError } from '../../core/errors.ts';

/** One decoded annotation. */
export interface Annotation {
  /** Sample index from the start of the record. */
  readonly sample: number;
  /** Annotation code (1 = NORMAL, 5 = PVC, 28 = RHYTHM, ...). */
  readonly code: number;
  readonly subtype: number;
  readonly chan: number;
  readonly num: number;
  /** Auxiliary text (rhythm names like "(AFIB"), or ''. */
  readonly aux: string;
}

/** MIT annotation codes → mnemonic symbols (the WFDB `ecgcodes.h` table). */
export const ANNOTATION_SYMBOLS: Readonly<Record<number, string>> = {
  0: ' ', 1: 'N', 2: 'L', 3: 'R', 4: 'a', 5: 'V', 6: 'F', 7: 'J', 8: 'A', 9: 'S', 10: 'E',
  11: 'j', 12: '/', 13: 'Q', 14: '~', 16: '|', 18: 's', 19: 'T', 20: '*', 21: 'D', 22: '"',
  23: '=', 24: 'p', 25: 'B', 26: '^', 27: 't', 28: '+', 29: 'u', 30: '?', 31: '!', 32: '[',
  33: ']', 34: 'e', 35: 'n', 36: '@', 37: 'x', 38: 'f', 39: '(', 40: ')', 41: 'r',
};

/**
 * Beat annotations: N L R B A a J S V r F e j n E / f Q ? (the codes scored as beats;
 * rhythm, noise, artefact and comment annotations are not beats).
 */
export const BEAT_SYMBOLS = 'NLRBAaJSVrFejnE/fQ?';

const BEAT_CODES: ReadonlySet<number> = new Set(
  Object.entries(ANNOTATION_SYMBOLS)
    .filter(([, symbol]) => BEAT_SYMBOLS.includes(symbol) && symbol !== ' ')
    .map(([code]) => Number(code)),
);

/** True when `code` is one of the beat annotation codes. */
export function isBeatCode(code: number): boolean {
  return BEAT_CODES.has(code);
}

const SKIP = 59;
const NUM = 60;
const SUB = 61;
const CHN = 62;
const AUX = 63;

interface MutableAnnotation {
  sample: number;
  code: number;
  subtype: number;
  chan: number;
  num: number;
  aux: string;
}

/**
 * Decode a whole MIT-format annotation file.
 * @param bytes the file's contents
 * @param source a name for error messages
 * @example bytes [0x05, 0x04, 0x00, 0x00] → [{ sample: 5, code: 1 (N), ... }]
 * Cost: O(bytes).
 */
export function parseMitAnnotations(bytes: Uint8Array, source = 'annotations'): Annotation[] {
  const out: MutableAnnotation[] = [];
  let time = 0;
  let num = 0;
  let chan = 0;
  let current: MutableAnnotation | undefined;
  let i = 0;
  let ended = false;
  const word = (at: number): number => (bytes[at] as number) | ((bytes[at + 1] as number) << 8);
  while (i + 1 < bytes.length) {
    const w = word(i);
    i += 2;
    const a = w >> 10;
    const field = w & 0x3ff;
    if (a === 0 && field === 0) {
      ended = true;
      break;
    }
    if (a === SKIP) {
      if (i + 3 >= bytes.length) {
        throw new FormatError(`${source}: truncated SKIP interval at byte ${i - 2}`);
      }
      const interval = ((word(i) << 16) | word(i + 2)) | 0;
      time += interval;
      i += 4;
    } else if (a === NUM) {
      num = field > 511 ? field - 1024 : field;
      if (current !== undefined) current.num = num;
    } else if (a === SUB) {
      if (current !== undefined) current.subtype = field > 511 ? field - 1024 : field;
    } else if (a === CHN) {
      chan = field;
      if (current !== undefined) current.chan = chan;
    } else if (a === AUX) {
      // The text is padded to an even length; a missing pad byte is a truncated file too.
      if (i + field + (field & 1) > bytes.length) {
        throw new FormatError(`${source}: truncated AUX text at byte ${i - 2}`);
      }
      let text = '';
      for (let k = 0; k < field; k++) {
        const c = bytes[i + k] as number;
        if (c === 0) break;
        text += String.fromCharCode(c);
      }
      if (current !== undefined) current.aux = text;
      i += field + (field & 1);
    } else {
      time += field;
      current = { sample: time, code: a, subtype: 0, chan, num, aux: '' };
      out.push(current);
    }
  }
  if (!ended && i < bytes.length) {
    throw new FormatError(`${source}: odd number of bytes (truncated file)`);
  }
  return out;
}

/** Sample indices of the beat annotations, in order. */
export function beatSamples(annotations: readonly Annotation[]): number[] {
  return annotations.filter((a) => isBeatCode(a.code)).map((a) => a.sample);
}
