// Memory check for the file sources, kept out of the tests because memory readings are noisy.
// Reads mitdb records through recordSource and prints how much live memory (after a forced
// gc every 100 chunks) grew over the baseline. Run from the project root:
//   node --expose-gc --import tsx scripts/measureSourceMemory.ts
import { existsSync } from 'node:fs';
import { lastValueFrom, tap } from 'rxjs';
import { pace } from '../src/operators/pace.ts';
import { openRecord } from '../src/sources/openRecord.ts';
import { recordSource } from '../src/sources/recordSource.ts';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const mb = (n: number): string => (n / 1048576).toFixed(2);

async function measure(label: string, run: (sample: () => void) => Promise<void>): Promise<void> {
  gc();
  const base = process.memoryUsage();
  let peakHeap = 0, peakBuffers = 0, peakRss = 0;
  let calls = 0;
  const sample = (): void => {
    if (++calls % 100 !== 0) return;
    gc(); // measure what is live, not garbage waiting for collection
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed - base.heapUsed);
    peakBuffers = Math.max(peakBuffers, m.arrayBuffers - base.arrayBuffers);
    peakRss = Math.max(peakRss, m.rss - base.rss);
  };
  const t0 = performance.now();
  await run(sample);
  const ms = performance.now() - t0;
  console.log(`${label}: ${(ms / 1000).toFixed(2)} s; peak live growth over baseline (gc every 100 chunks): heapUsed ${mb(peakHeap)} MB, arrayBuffers ${mb(peakBuffers)} MB, rss ${mb(peakRss)} MB (baseline rss ${mb(base.rss)} MB)`);
}

if (!existsSync('../shared/datasets/mitdb/101.dat')) {
  console.log('../shared/datasets/mitdb not found: this check needs the shared MIT-BIH records');
  process.exit(0);
}

const records = ['101', '106', '108', '109', '112', '114', '115', '116', '118', '119'];
let sum = 0;

await measure('1 record (101, 30 min), speed max, chunks of 512', async (sample) => {
  const r = await openRecord('../shared/datasets/mitdb/101');
  await lastValueFrom(recordSource(r).pipe(tap((c) => { for (const v of c.samples) sum += v; sample(); })));
});
await measure(`${records.length} records back to back (5 h), speed max`, async (sample) => {
  for (const name of records) {
    const r = await openRecord(`../shared/datasets/mitdb/${name}`);
    await lastValueFrom(recordSource(r).pipe(tap((c) => { for (const v of c.samples) sum += v; sample(); })));
  }
});
await measure('1 record, paced inside recordSource at speed 1000 (asyncScheduler)', async (sample) => {
  const r = await openRecord('../shared/datasets/mitdb/101');
  await lastValueFrom(recordSource(r, { speed: 1000 }).pipe(tap(() => sample())));
});
await measure('1 record, unpaced recordSource + pace(1000) downstream (the design NOT used)', async (sample) => {
  const r = await openRecord('../shared/datasets/mitdb/101');
  await lastValueFrom(recordSource(r).pipe(tap(() => sample()), pace(1000), tap(() => sample())));
});
await measure('CSV fixture (300 s), speed max', async (sample) => {
  const r = await openRecord('fixtures/synthetic-ecg/ecgsyn_360hz.csv');
  await lastValueFrom(recordSource(r).pipe(tap(() => sample())));
});
console.log('checksum of sums', sum);
