/**
 * Scoring a rhythm detector against reference rhythm annotations: AF episodes and AF time.
 *
 * Intervals are half-open ranges [start, end) of samples (or of seconds: the scores do not
 * depend on the unit, only the durations are in it). With R the reference AF episodes and D
 * the detected ones (each a maximal run of AF):
 *
 *   episode Se  = |{r ∈ R : r overlaps some d ∈ D}| / |R|
 *   episode +P  = |{d ∈ D : d overlaps some r ∈ R}| / |D|
 *   duration Se = |∪R ∩ ∪D| / |∪R|          (AF time detected / reference AF time)
 *   duration +P = |∪R ∩ ∪D| / |∪D|          (detected AF time that is AF / detected AF time)
 *
 * Symbols: |·| of a set of episodes is their count, of a union of intervals its length in
 * time; "overlaps" means a part of positive length in common. A ratio whose denominator is 0 is
 * null (nothing to score: no reference AF, or nothing detected). These are the episode and
 * duration measures of the EC57 / ANSI-AAMI AF detector evaluation (`epicmp`), without its
 * minimum-overlap refinements.
 *
 * The reference: MIT-format rhythm annotations (code 28, RHYTHM) carry the new rhythm in their
 * auxiliary text, "(AFIB", "(N", "(AFL", ...; a rhythm lasts until the next rhythm annotation
 * or the end of the record. Only "(AFIB" is AF: atrial flutter ("(AFL") is a different
 * rhythm (organised atrial activity), scored as not-AF, so detected AF in flutter costs +P.
 */

/** A half-open range [start, end), in samples (or any one unit of time). */
export interface SampleInterval {
  readonly start: number;
  readonly end: number;
}

/** What `rhythmIntervals` reads of an annotation: where it is, and its auxiliary text. */
export interface RhythmAnnotationLike {
  readonly sample: number;
  readonly aux: string;
}

/** A reference rhythm and where it holds. */
export interface RhythmInterval extends SampleInterval {
  /** The rhythm's name without the "(": AFIB, N, AFL, B, T, VT, ... */
  readonly rhythm: string;
}

/** The reference rhythm name of atrial fibrillation. */
export const AF_RHYTHM = 'AFIB';

/**
 * The rhythms of a record from its rhythm annotations (aux text starting "("), in order; each
 * lasts until the next or `endSample`. Zero-length intervals are dropped.
 * @example rhythmIntervals([{ sample: 0, aux: '(N' }, { sample: 500, aux: '(AFIB' }], 900)
 *   → [{ start: 0, end: 500, rhythm: 'N' }, { start: 500, end: 900, rhythm: 'AFIB' }]
 * Cost: O(annotations).
 */
export function rhythmIntervals(annotations: readonly RhythmAnnotationLike[], endSample: number): RhythmInterval[] {
  const changes = annotations.filter((a) => a.aux.startsWith('('));
  const out: RhythmInterval[] = [];
  changes.forEach((a, i) => {
    const end = Math.min(changes[i + 1]?.sample ?? endSample, endSample);
    // The aux text may carry a trailing NUL or spaces in some files.
    const rhythm = a.aux.slice(1).replace(/[\s\0]+$/, '');
    if (end > a.sample) out.push({ start: a.sample, end, rhythm });
  });
  return out;
}

/**
 * The reference AF episodes: the `AFIB` rhythm intervals, neighbours that touch merged.
 * @example referenceAfIntervals([{ sample: 0, aux: '(N' }, { sample: 500, aux: '(AFIB' }], 900) → [{ start: 500, end: 900 }]
 */
export function referenceAfIntervals(annotations: readonly RhythmAnnotationLike[], endSample: number): SampleInterval[] {
  return mergeIntervals(rhythmIntervals(annotations, endSample).filter((r) => r.rhythm === AF_RHYTHM));
}

/** A change of the detected rhythm: where (a sample index, or seconds), and the new state. */
export interface RhythmChange {
  readonly at: number;
  readonly state: 'af' | 'not-af';
}

/**
 * Detected AF episodes from the detector's changes: from each change to `af` to the next change
 * to `not-af` (or `end`). The detector is not-AF before its first change.
 * @example afIntervalsFromChanges([{ at: 100, state: 'af' }, { at: 400, state: 'not-af' }, { at: 800, state: 'af' }], 900)
 *   → [{ start: 100, end: 400 }, { start: 800, end: 900 }]
 */
export function afIntervalsFromChanges(changes: readonly RhythmChange[], end: number): SampleInterval[] {
  const out: SampleInterval[] = [];
  let start: number | undefined;
  for (const c of changes) {
    if (c.state === 'af' && start === undefined) start = c.at;
    else if (c.state === 'not-af' && start !== undefined) {
      if (c.at > start) out.push({ start, end: c.at });
      start = undefined;
    }
  }
  if (start !== undefined && end > start) out.push({ start, end });
  return out;
}

/** Sort and merge intervals that overlap or touch. */
export function mergeIntervals(intervals: readonly SampleInterval[]): SampleInterval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ start: i.start, end: i.end });
  }
  return out;
}

/** The counts behind the AF scores of one record, or of several pooled (summed). */
export interface AfCounts {
  /** Reference AF episodes, and those overlapped by detected AF. */
  readonly referenceEpisodes: number;
  readonly referenceEpisodesDetected: number;
  /** Detected AF episodes, and those that overlap reference AF. */
  readonly detectedEpisodes: number;
  readonly detectedEpisodesTrue: number;
  /** Reference AF time, detected AF time, and time in both, in the intervals' unit (samples, or seconds as `eval` reports them). */
  readonly referenceDuration: number;
  readonly detectedDuration: number;
  readonly overlapDuration: number;
}

/** `AfCounts` and the four ratios (null when their denominator is 0). */
export interface AfScore extends AfCounts {
  readonly episodeSensitivity: number | null;
  readonly episodePositivePredictivity: number | null;
  readonly durationSensitivity: number | null;
  readonly durationPositivePredictivity: number | null;
}

/**
 * Score detected AF against reference AF (both as interval lists; each is merged first).
 * @example scoreAf([{ start: 0, end: 100 }, { start: 200, end: 300 }], [{ start: 50, end: 150 }, { start: 400, end: 450 }])
 *   → episodes: 1 of 2 reference detected, 1 of 2 detected true; durations: 200 reference, 150 detected,
 *     50 both → Se 0.5, +P 0.5, duration Se 0.25, duration +P 1/3
 * Cost: O((R + D) log (R + D)).
 */
export function scoreAf(reference: readonly SampleInterval[], detected: readonly SampleInterval[]): AfScore {
  const r = mergeIntervals(reference);
  const d = mergeIntervals(detected);
  const overlaps = (a: SampleInterval, list: readonly SampleInterval[]): boolean => list.some((b) => a.start < b.end && b.start < a.end);
  let overlapDuration = 0;
  let j = 0;
  for (const a of r) {
    while (j < d.length && (d[j] as SampleInterval).end <= a.start) j++;
    for (let k = j; k < d.length && (d[k] as SampleInterval).start < a.end; k++) {
      const b = d[k] as SampleInterval;
      overlapDuration += Math.min(a.end, b.end) - Math.max(a.start, b.start);
    }
  }
  return withRatios({
    referenceEpisodes: r.length,
    referenceEpisodesDetected: r.filter((a) => overlaps(a, d)).length,
    detectedEpisodes: d.length,
    detectedEpisodesTrue: d.filter((b) => overlaps(b, r)).length,
    referenceDuration: length(r),
    detectedDuration: length(d),
    overlapDuration,
  });
}

/** Sum the counts of several records and compute the pooled ratios. */
export function poolAfScores(scores: readonly AfCounts[]): AfScore {
  const sum = (key: keyof AfCounts): number => scores.reduce((n, s) => n + s[key], 0);
  return withRatios({
    referenceEpisodes: sum('referenceEpisodes'),
    referenceEpisodesDetected: sum('referenceEpisodesDetected'),
    detectedEpisodes: sum('detectedEpisodes'),
    detectedEpisodesTrue: sum('detectedEpisodesTrue'),
    referenceDuration: sum('referenceDuration'),
    detectedDuration: sum('detectedDuration'),
    overlapDuration: sum('overlapDuration'),
  });
}

function withRatios(c: AfCounts): AfScore {
  const ratio = (n: number, d: number): number | null => (d === 0 ? null : n / d);
  return {
    ...c,
    episodeSensitivity: ratio(c.referenceEpisodesDetected, c.referenceEpisodes),
    episodePositivePredictivity: ratio(c.detectedEpisodesTrue, c.detectedEpisodes),
    durationSensitivity: ratio(c.overlapDuration, c.referenceDuration),
    durationPositivePredictivity: ratio(c.overlapDuration, c.detectedDuration),
  };
}

function length(intervals: readonly SampleInterval[]): number {
  return intervals.reduce((n, i) => n + (i.end - i.start), 0);
}
