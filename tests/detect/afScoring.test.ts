import { describe, expect, it } from 'vitest';
import { afIntervalsFromChanges, mergeIntervals, poolAfScores, referenceAfIntervals, rhythmIntervals, scoreAf } from '../../src/detect/afScoring.ts';

describe('afScoring: reference rhythms', () => {
  it('reads rhythm annotations into intervals; only (AFIB is AF, flutter (AFL is not', () => {
    const annotations = [
      { sample: 0, aux: '(N' },
      { sample: 40, aux: '' }, // a beat: not a rhythm change
      { sample: 100, aux: '(AFIB' },
      { sample: 300, aux: '(VT' },
      { sample: 310, aux: '(AFIB\0' },
      { sample: 500, aux: '(AFL' },
      { sample: 700, aux: '(AFIB' },
    ];
    expect(rhythmIntervals(annotations, 800)).toEqual([
      { start: 0, end: 100, rhythm: 'N' },
      { start: 100, end: 300, rhythm: 'AFIB' },
      { start: 300, end: 310, rhythm: 'VT' },
      { start: 310, end: 500, rhythm: 'AFIB' },
      { start: 500, end: 700, rhythm: 'AFL' },
      { start: 700, end: 800, rhythm: 'AFIB' },
    ]);
    expect(referenceAfIntervals(annotations, 800)).toEqual([
      { start: 100, end: 300 },
      { start: 310, end: 500 },
      { start: 700, end: 800 },
    ]);
  });

  it('detected episodes run from a change to af to the next change to not-af or the end', () => {
    expect(
      afIntervalsFromChanges(
        [
          { at: 100, state: 'af' },
          { at: 400, state: 'not-af' },
          { at: 800, state: 'af' },
        ],
        900,
      ),
    ).toEqual([
      { start: 100, end: 400 },
      { start: 800, end: 900 },
    ]);
    expect(afIntervalsFromChanges([{ at: 50, state: 'not-af' }], 900)).toEqual([]);
  });

  it('merges overlapping and touching intervals', () => {
    expect(mergeIntervals([{ start: 5, end: 9 }, { start: 0, end: 3 }, { start: 3, end: 4 }, { start: 8, end: 12 }, { start: 20, end: 20 }])).toEqual([
      { start: 0, end: 4 },
      { start: 5, end: 12 },
    ]);
  });
});

describe('afScoring: episode and duration scores', () => {
  it('hand-made intervals: Se, +P, duration Se and duration +P', () => {
    // Reference AF [0,100) and [200,300); detected [50,150) and [400,450).
    // Episodes: [0,100) is hit, [200,300) missed → Se 1/2; [50,150) is true, [400,450) false → +P 1/2.
    // Time: 200 reference, 150 detected, 50 in both → duration Se 50/200, duration +P 50/150.
    const s = scoreAf(
      [
        { start: 0, end: 100 },
        { start: 200, end: 300 },
      ],
      [
        { start: 50, end: 150 },
        { start: 400, end: 450 },
      ],
    );
    expect(s).toEqual({
      referenceEpisodes: 2,
      referenceEpisodesDetected: 1,
      detectedEpisodes: 2,
      detectedEpisodesTrue: 1,
      referenceDuration: 200,
      detectedDuration: 150,
      overlapDuration: 50,
      episodeSensitivity: 0.5,
      episodePositivePredictivity: 0.5,
      durationSensitivity: 0.25,
      durationPositivePredictivity: 50 / 150,
    });
  });

  it('one detected episode spanning two reference episodes detects both and counts once', () => {
    const s = scoreAf(
      [
        { start: 10, end: 20 },
        { start: 30, end: 40 },
      ],
      [{ start: 15, end: 35 }],
    );
    expect(s).toMatchObject({ referenceEpisodesDetected: 2, detectedEpisodesTrue: 1, overlapDuration: 10, detectedDuration: 20 });
  });

  it('touching is not overlapping; nothing to score gives null', () => {
    const s = scoreAf([{ start: 0, end: 10 }], [{ start: 10, end: 20 }]);
    expect(s).toMatchObject({ referenceEpisodesDetected: 0, detectedEpisodesTrue: 0, overlapDuration: 0 });
    expect(scoreAf([], [])).toMatchObject({ episodeSensitivity: null, episodePositivePredictivity: null, durationSensitivity: null, durationPositivePredictivity: null });
  });

  it('pools by summing counts', () => {
    const a = scoreAf([{ start: 0, end: 100 }], [{ start: 0, end: 50 }]);
    const b = scoreAf([], [{ start: 0, end: 50 }]);
    expect(poolAfScores([a, b])).toMatchObject({
      referenceEpisodes: 1,
      referenceEpisodesDetected: 1,
      detectedEpisodes: 2,
      detectedEpisodesTrue: 1,
      episodePositivePredictivity: 0.5,
      durationSensitivity: 0.5,
      durationPositivePredictivity: 0.5,
    });
  });
});
