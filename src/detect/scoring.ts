/**
 * Scoring classifications against expected labels: accuracy, per-label accuracy and the
 * confusion matrix, as `classify` reports them.
 *
 *   accuracy = correct / labelled,   accuracy(ℓ) = correct(ℓ) / files(ℓ),
 *   confusion[ℓ][k] = files expected ℓ and classified k
 *
 * (labelled: the items that have an expected label; items without one are not scored).
 */

import type { LabelScore } from '../core/events.ts';

/** One classified item: what it should be (undefined: unknown), and what it was classified as. */
export interface ScoredItem {
  readonly expected: string | undefined;
  readonly predicted: string;
}

/** The scores of a list of items. Records are ordered: `classOrder` first, then labels in order of appearance. */
export interface LabelScores {
  /** Items with an expected label, and how many of them were classified right. */
  readonly labelled: number;
  readonly correct: number;
  /** correct / labelled; null when no item has an expected label. */
  readonly accuracy: number | null;
  /** Per expected label. */
  readonly perLabel: Readonly<Record<string, LabelScore>>;
  /** expected label → predicted label → items (only pairs that occur). */
  readonly confusion: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

/**
 * Score `items` against their expected labels.
 * @param classOrder the model's classes: the order of the records' keys (others follow in order of first appearance)
 * @example scoreLabels([{ expected: '1', predicted: '1' }, { expected: '1', predicted: '0' }, { expected: undefined, predicted: '0' }], ['0', '1'])
 *   → { labelled: 2, correct: 1, accuracy: 0.5, perLabel: { '1': { files: 2, correct: 1, accuracy: 0.5 } },
 *       confusion: { '1': { '0': 1, '1': 1 } } }
 * Cost: O(items + labels log labels).
 */
export function scoreLabels(items: Iterable<ScoredItem>, classOrder: readonly string[]): LabelScores {
  const order = new Map<string, number>(classOrder.map((c, i) => [c, i]));
  const confusion: Record<string, Record<string, number>> = {};
  const counts = new Map<string, { files: number; correct: number }>();
  let labelled = 0;
  let correct = 0;
  for (const { expected, predicted } of items) {
    if (expected === undefined) continue;
    labelled++;
    const ok = predicted === expected;
    if (ok) correct++;
    if (!order.has(expected)) order.set(expected, order.size);
    const c = counts.get(expected) ?? { files: 0, correct: 0 };
    counts.set(expected, { files: c.files + 1, correct: c.correct + (ok ? 1 : 0) });
    const row = (confusion[expected] ??= {});
    row[predicted] = (row[predicted] ?? 0) + 1;
  }
  // A predicted label that is neither a class nor expected anywhere sorts as the first class
  // (index 0), as `classify` has always ordered it; the sort is stable.
  const byOrder = (a: string, b: string): number => (order.get(a) ?? 0) - (order.get(b) ?? 0);
  const perLabel: Record<string, LabelScore> = {};
  for (const label of [...counts.keys()].sort(byOrder)) {
    const c = counts.get(label) as { files: number; correct: number };
    perLabel[label] = { ...c, accuracy: c.correct / c.files };
  }
  const sortedConfusion: Record<string, Record<string, number>> = {};
  for (const label of Object.keys(confusion).sort(byOrder)) {
    const row = confusion[label] as Record<string, number>;
    sortedConfusion[label] = Object.fromEntries(Object.keys(row).sort(byOrder).map((k) => [k, row[k] as number]));
  }
  return { labelled, correct, accuracy: labelled > 0 ? correct / labelled : null, perLabel, confusion: sortedConfusion };
}
