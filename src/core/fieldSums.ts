/**
 * Running totals of named counters (spikes, synaptic operations, decoder byte counts, TP/FP/FN):
 * the one place a record's counts are added to another's, field by field.
 */

/**
 * Add each named field of `from` to the same field of `into`, in place: into[k] += from[k].
 * @param keys the fields to add, in the order they are added
 * @example const totals = { spikes: 3, ticks: 10 }; addFields(totals, { spikes: 2, ticks: 5, seconds: 1 }, ['spikes', 'ticks'])
 *   → totals = { spikes: 5, ticks: 15 }
 * Cost: O(keys), no allocation.
 */
export function addFields<K extends string>(into: Record<K, number>, from: Readonly<Record<K, number>>, keys: readonly K[]): void {
  for (const key of keys) into[key] += from[key];
}

/**
 * The sum over `items` of each named field, as a new object with the fields in `keys` order
 * (each sum starts at 0 and adds the items in order).
 * @example sumFields([{ tp: 9, fp: 1 }, { tp: 1, fp: 0 }], ['tp', 'fp']) → { tp: 10, fp: 1 }
 * Cost: O(items × keys); one object.
 */
export function sumFields<K extends string>(items: Iterable<Readonly<Record<K, number>>>, keys: readonly K[]): Record<K, number> {
  const total = {} as Record<K, number>;
  for (const key of keys) total[key] = 0;
  for (const item of items) addFields(total, item, keys);
  return total;
}
