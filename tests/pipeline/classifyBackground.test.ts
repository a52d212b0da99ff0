/**
 * `classify` and a model with a background ("not a word") class: a word clip the network calls
 * `_background_` is wrong, and counted apart in the summary (`background`) and its text (a line,
 * and a column per condition); a model without the class gives exactly the output it gave.
 */
import { describe, expect, it } from 'vitest';
import { createAudioClassifier, type ClipClassification } from '../../src/pipeline/audioClassify.ts';
import type { MaybeLabelledFile } from '../../src/pipeline/audioDataset.ts';
import { loadAudioModel } from '../../src/pipeline/audioModel.ts';
import { backgroundCount, conditionScore } from '../../src/pipeline/audioStress.ts';
import { classifySummaryEvent, classifySummaryText } from '../../src/pipeline/classifyReport.ts';

const DIGITS = [...'0123456789'];
const WITH_BACKGROUND = [...DIGITS, '_background_'];

/** A classified file: expected `expected`, called `label`. */
function result(expected: string | undefined, label: string, k: number): { file: MaybeLabelledFile; result: ClipClassification } {
  return {
    file: { path: `${expected ?? 'x'}_s_${k}.wav`, label: expected, speaker: 's', index: k },
    result: { label, labelIndex: WITH_BACKGROUND.indexOf(label), scores: [], inputSpikes: 1, spikes: 1, synapticOps: 1, neuronUpdates: 1, ticks: 1, samples: 64, seconds: 0.008 },
  };
}

const RESULTS = [result('3', '3', 0), result('4', '_background_', 1), result('5', '_background_', 2), result('6', '1', 3), result(undefined, '_background_', 4)];

describe('classify with a background class', () => {
  it('counts the labelled clips called _background_ (wrong), and nothing for a model without the class', () => {
    expect(backgroundCount(WITH_BACKGROUND, RESULTS)).toBe(2);
    expect(backgroundCount(DIGITS, RESULTS)).toBeUndefined();
    const score = conditionScore({ gainDb: -10 }, [], RESULTS, WITH_BACKGROUND);
    expect(score).toEqual({ gainDb: -10, snrDb: null, noise: null, correct: 1, total: 4, accuracy: 0.25, background: 2 });
    expect(conditionScore({ gainDb: -10 }, [], RESULTS, DIGITS)).toEqual({ gainDb: -10, snrDb: null, noise: null, correct: 1, total: 4, accuracy: 0.25 });
  });

  it('prints them in the summary and as a column of the condition table; a 10-class model prints what it did', () => {
    const classifier = createAudioClassifier(loadAudioModel());
    const plain = classifySummaryEvent(classifier, undefined, RESULTS, 0, undefined, 1);
    expect(plain).not.toHaveProperty('background');
    const plainText = classifySummaryText(plain, []);
    expect(plainText).not.toContain('not a word');
    expect(plainText).toContain('accuracy: 25.00 % (1 of the 4 files with a label)\n  per label: ');

    const withBackground = { ...classifier, model: { ...classifier.model, classes: WITH_BACKGROUND } };
    const summary = classifySummaryEvent(withBackground, undefined, RESULTS, 0, undefined, 1);
    expect(summary.background).toBe(2);
    expect(classifySummaryText(summary, [])).toContain('accuracy: 25.00 % (1 of the 4 files with a label)\n  not a word: 2 of the 4 labelled files called _background_ (counted wrong)\n');

    const conditions = [conditionScore({ gainDb: 0 }, [], RESULTS, WITH_BACKGROUND), conditionScore({ gainDb: -10 }, [], RESULTS.slice(0, 1), WITH_BACKGROUND)];
    const table = classifySummaryText({ ...summary, conditions }, []);
    expect(table).toContain(' gain dB  noise   SNR dB  correct/total  accuracy %  not a word\n');
    expect(table).toContain('       0  -            -            1/4       25.00           2\n');
    expect(table).toContain('     -10  -            -            1/1      100.00           0\n');
    const plainTable = classifySummaryText({ ...plain, conditions: conditions.map(({ background: _, ...c }) => c) }, []);
    expect(plainTable).toContain(' gain dB  noise   SNR dB  correct/total  accuracy %\n');
  });
});
