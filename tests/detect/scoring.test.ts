import { describe, expect, it } from 'vitest';
import { scoreLabels } from '../../src/detect/scoring.ts';

const item = (expected: string | undefined, predicted: string) => ({ expected, predicted });

describe('scoreLabels', () => {
  it('counts accuracy, per-label accuracy and the confusion matrix (hand-counted)', () => {
    const s = scoreLabels([item('0', '0'), item('0', '1'), item('1', '1'), item('2', '0'), item('2', '2'), item('2', '2'), item(undefined, '1')], ['0', '1', '2']);
    expect(s.labelled).toBe(6); // the unlabelled item is not scored
    expect(s.correct).toBe(4);
    expect(s.accuracy).toBeCloseTo(4 / 6, 15);
    expect(s.perLabel).toEqual({ '0': { files: 2, correct: 1, accuracy: 0.5 }, '1': { files: 1, correct: 1, accuracy: 1 }, '2': { files: 3, correct: 2, accuracy: 2 / 3 } });
    expect(s.confusion).toEqual({ '0': { '0': 1, '1': 1 }, '1': { '1': 1 }, '2': { '0': 1, '2': 2 } });
  });

  it('orders labels as the model classes, then others as they first appear', () => {
    const s = scoreLabels([item('maybe', 'no'), item('no', 'yes'), item('yes', 'yes'), item('maybe', 'maybe')], ['yes', 'no']);
    expect(Object.keys(s.perLabel)).toEqual(['yes', 'no', 'maybe']);
    expect(Object.keys(s.confusion)).toEqual(['yes', 'no', 'maybe']);
    expect(Object.keys(s.confusion.maybe ?? {})).toEqual(['no', 'maybe']);
    expect(s.perLabel.maybe).toEqual({ files: 2, correct: 1, accuracy: 0.5 });
  });

  it('a predicted label that is no class and never expected sorts as the first class', () => {
    const s = scoreLabels([item('b', 'b'), item('b', 'zzz')], ['a', 'b']);
    expect(Object.keys(s.confusion.b ?? {})).toEqual(['zzz', 'b']);
  });

  it('without labels: accuracy null, nothing per label, an empty matrix', () => {
    expect(scoreLabels([item(undefined, 'a')], ['a'])).toEqual({ labelled: 0, correct: 0, accuracy: null, perLabel: {}, confusion: {} });
    expect(scoreLabels([], [])).toEqual({ labelled: 0, correct: 0, accuracy: null, perLabel: {}, confusion: {} });
  });
});
