/**
 * The reference beats of a record, what eval scores against and plot draws as its reference
 * row: a WFDB record's `.atr` beat annotations (codes N L R B A a J S V r F e j n E / f Q ?), or
 * an EDF+/BDF+ file's annotations whose text is one of those symbols (as `convert` writes them).
 */
import { BEAT_SYMBOLS, beatSamples, parseMitAnnotations, type Annotation } from '../formats/wfdb/annotation.ts';
import { readBoundedFileSync } from '../sources/boundedFile.ts';
import { readEdfAnnotations } from '../sources/edfFile.ts';
import type { OpenedAnyRecord } from '../sources/openRecord.ts';
import { LIMITS } from '../core/limits.ts';

/** Reference beats, as samples of the record (at its own rate). */
export interface ReferenceBeats {
  readonly beats: readonly number[];
  /** The normal (`N`) ones; every beat when none is marked N. */
  readonly normal: readonly number[];
}

/** True when `text` is a beat symbol (`N`, `V`, ...). */
export function isBeatSymbol(text: string): boolean {
  return text.length === 1 && BEAT_SYMBOLS.includes(text);
}

/**
 * @returns the reference beats, or undefined when the record has none (no `.atr`; an EDF+
 *   without beat-symbol annotations; CSV, WAV, plain EDF)
 * @throws FormatError for a malformed `.atr` or TAL
 * @example (await readReferenceBeats(await openRecord('mitdb/100')))?.beats.length → 2273
 * Cost: memory O(annotations); an EDF file is read once more, its annotation bytes only parsed.
 */
export async function readReferenceBeats(record: OpenedAnyRecord): Promise<ReferenceBeats | undefined> {
  const { info } = record;
  if (info.kind === 'edf' || info.kind === 'bdf') {
    if (!info.hasAnnotations) return undefined;
    const beats = (await readEdfAnnotations(info.path)).filter((a) => isBeatSymbol(a.text));
    if (beats.length === 0) return undefined;
    const at = (onsetSeconds: number): number => Math.round(onsetSeconds * info.sampleRateHz);
    const all = beats.map((a) => at(a.onsetSeconds));
    const normal = beats.filter((a) => a.text === 'N').map((a) => at(a.onsetSeconds));
    return { beats: all, normal: normal.length > 0 ? normal : all };
  }
  if (info.kind !== 'wfdb' || info.annotationPath === undefined) return undefined;
  return wfdbReferenceBeats(parseMitAnnotations(readBoundedFileSync(info.annotationPath, LIMITS.annotationFileBytes, "the annotation file's size"), info.annotationPath));
}

/** The beats of parsed MIT annotations, and the normal (`N`) ones (every beat when none is N). */
export function wfdbReferenceBeats(annotations: readonly Annotation[]): ReferenceBeats {
  const beats = beatSamples(annotations);
  const normal = annotations.filter((a) => a.code === 1).map((a) => a.sample);
  return { beats, normal: normal.length > 0 ? normal : beats };
}
