import { describe, expect, it } from 'vitest';
import { boardAgreementLine, boardBeatAgreement } from '../../src/detect/boardAgreement.ts';

describe('boardBeatAgreement', () => {
  it('the documented example: T = round(0.15 · 360) = 54; 100–100 and 460–450 match, 100 is the same sample', () => {
    const a = boardBeatAgreement([100, 460, 900], [100, 450, 2000], 360);
    expect(a).toEqual({ boardBeats: 3, hostBeats: 3, agree: 2, toleranceSamples: 54, sameSample: 1 });
    expect(boardAgreementLine(a)).toBe('board 3 beats, host 3: 2 agree within 54 samples, 1 at the same sample');
  });

  it('identical lists agree entirely; empty lists agree on nothing', () => {
    expect(boardBeatAgreement([5, 400, 800], [5, 400, 800], 360)).toEqual({ boardBeats: 3, hostBeats: 3, agree: 3, toleranceSamples: 54, sameSample: 3 });
    expect(boardBeatAgreement([], [], 360)).toEqual({ boardBeats: 0, hostBeats: 0, agree: 0, toleranceSamples: 54, sameSample: 0 });
  });

  it('one match per beat: two board beats near one host beat count once; 55 samples apart is outside', () => {
    expect(boardBeatAgreement([100, 110], [105], 360)).toMatchObject({ agree: 1, sameSample: 0 });
    expect(boardBeatAgreement([100], [155], 360)).toMatchObject({ agree: 0 });
    expect(boardBeatAgreement([100], [154], 360)).toMatchObject({ agree: 1 });
  });
});
