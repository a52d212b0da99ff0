import { readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Observable } from 'rxjs';
import { firstValueFrom, map, take, toArray, VirtualTimeScheduler } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { SampleChunk } from '../../src/core/chunks.ts';
import { FormatError, InputNotFoundError, ValidationError } from '../../src/core/errors.ts';
import type { ChunkReader } from '../../src/sources/recordSource.ts';
import { recordSource } from '../../src/sources/recordSource.ts';
import { openRecord } from '../../src/sources/openRecord.ts';
import { FIXTURE_RECORD, readRecord } from '../helpers/fixture.ts';
import { writeEdf } from '../../src/formats/edf/writer.ts';
import {
  collectChunks,
  firstDifference,
  lcgInts,
  useTempDir,
  openDescriptorsOn,
  writeWfdbRecord,
} from '../helpers/records.ts';

const FIXTURE = FIXTURE_RECORD;

const tempDir = useTempDir();

/**
 * A real opened record, watched: counts the chunks read from the file and resolves `ended`
 * once the file's iteration has finished (the file is closed by then).
 */
function watched(opened: ChunkReader): ChunkReader & { pulled: number; ended: Promise<void> } {
  let markEnded: () => void = () => undefined;
  const reader = {
    pulled: 0,
    ended: new Promise<void>((resolve) => {
      markEnded = resolve;
    }),
    async *chunks(): AsyncGenerator<SampleChunk, void, undefined> {
      try {
        for await (const chunk of opened.chunks()) {
          reader.pulled++;
          yield chunk;
        }
      } finally {
        markEnded();
      }
    },
  };
  return reader;
}

interface Timed {
  readonly chunk: SampleChunk;
  readonly atMs: number;
  /** Chunks read from the file when this one was emitted. */
  readonly pulled: number;
}

/**
 * Subscribe and drive a virtual clock: let the file reads settle, then run the timers that
 * are due, until the observable ends.
 */
async function runVirtual(
  source: Observable<SampleChunk>,
  scheduler: VirtualTimeScheduler,
  reader: { pulled: number },
): Promise<{ emitted: Timed[]; error: unknown; completed: boolean }> {
  const emitted: Timed[] = [];
  let error: unknown;
  let completed = false;
  let done = false;
  source.subscribe({
    next: (chunk) => emitted.push({ chunk, atMs: scheduler.now(), pulled: reader.pulled }),
    error: (e: unknown) => {
      error = e;
      done = true;
    },
    complete: () => {
      completed = true;
      done = true;
    },
  });
  for (let turns = 0; !done; turns++) {
    if (turns > 100_000) throw new Error('the source never ended');
    await new Promise((resolve) => setImmediate(resolve));
    scheduler.flush();
  }
  return { emitted, error, completed };
}

describe('recordSource', () => {
  it('emits the record\'s chunks in order, then completes', async () => {
    const opened = await openRecord(FIXTURE);
    const expected = await collectChunks(opened.chunks(), 512);
    const chunks = await firstValueFrom(recordSource(opened).pipe(toArray()));
    expect(chunks.length).toBe(expected.chunkCount);
    expect(firstDifference(await collectChunks(toAsync(chunks), 512).then((r) => r.samples), expected.samples)).toBe(-1);
  });

  it('reads the next chunk only after the downstream has taken the previous one', async () => {
    const reader = watched(await openRecord(`${FIXTURE}.csv`, { chunkSamples: 1000 }));
    const pulledAtEmission = await firstValueFrom(
      recordSource(reader).pipe(
        map(() => reader.pulled),
        toArray(),
      ),
    );
    expect(pulledAtEmission).toEqual(Array.from({ length: 108 }, (_, i) => i + 1));
  });

  it('unsubscribing stops reading and closes the file', async () => {
    const rec = writeWfdbRecord(tempDir(), 'stop', [{ adc: lcgInts(50000, 900, 1200, 1) }]);
    const before = openDescriptorsOn(rec.signalPath);
    const reader = watched(await openRecord(rec.base, { chunkSamples: 100 }));
    const firstThree = await firstValueFrom(recordSource(reader).pipe(take(3), toArray()));
    expect(firstThree.map((c) => c.startSample)).toEqual([0, 100, 200]);
    await reader.ended;
    expect(reader.pulled).toBe(3);
    if (before !== undefined) expect(openDescriptorsOn(rec.signalPath)).toBe(before);
  });

  it('an error downstream also stops reading and closes the file', async () => {
    const rec = writeWfdbRecord(tempDir(), 'downstream', [{ adc: lcgInts(5000, 900, 1200, 6) }]);
    const before = openDescriptorsOn(rec.signalPath);
    const reader = watched(await openRecord(rec.base, { chunkSamples: 100 }));
    const failing = recordSource(reader).pipe(
      map((c) => {
        if (c.startSample === 200) throw new Error('sink failed');
        return c;
      }),
    );
    await expect(firstValueFrom(failing.pipe(toArray()))).rejects.toThrow('sink failed');
    await reader.ended;
    expect(reader.pulled).toBe(3);
    if (before !== undefined) expect(openDescriptorsOn(rec.signalPath)).toBe(before);
  });

  it('read errors go to the error channel after the chunks before them', async () => {
    const rec = writeWfdbRecord(tempDir(), 'cut', [{ adc: lcgInts(1001, 900, 1200, 2) }]);
    writeFileSync(rec.headerPath, readFileSync(rec.headerPath, 'utf8').replace('cut 1 360 1001', 'cut 1 360'));
    truncateSync(rec.signalPath, 1501); // 1000 samples and one byte of the next unit
    const seen: number[] = [];
    const error = await new Promise((resolve) => {
      recordSource(openRecordSync(rec.base, 300)).subscribe({
        next: (c) => seen.push(c.startSample),
        error: resolve,
        complete: () => resolve(undefined),
      });
    });
    expect(seen).toEqual([0, 300, 600, 900]);
    expect(error).toEqual(
      new FormatError(`${rec.signalPath}: ends inside a sample (1 of 3 bytes of a format 212 unit); the file is truncated`),
    );
  });

  it('a signal file removed after opening: InputNotFoundError on the error channel', async () => {
    const rec = writeWfdbRecord(tempDir(), 'removed', [{ adc: lcgInts(10, 900, 1200, 3) }]);
    const opened = await openRecord(rec.base);
    rmSync(rec.signalPath);
    await expect(firstValueFrom(recordSource(opened))).rejects.toThrow(
      new InputNotFoundError(`${rec.signalPath}: signal file not found (it was there when the record was opened)`),
    );
  });

  it.each([1, 10])('speed %i: each chunk is emitted when it is due, with one chunk read at a time', async (speed) => {
    // 3500 samples at 360 Hz in chunks of 360 (1 s): 9 full chunks and one of 260.
    const rec = writeWfdbRecord(tempDir(), `paced${speed}`, [{ adc: lcgInts(3500, 900, 1200, 4) }]);
    const reader = watched(await openRecord(rec.base, { chunkSamples: 360 }));
    const scheduler = new VirtualTimeScheduler();
    const run = await runVirtual(recordSource(reader, { speed, scheduler }), scheduler, reader);
    expect(run.completed).toBe(true);
    expect(run.emitted.map((e) => e.chunk.startSample)).toEqual([0, 360, 720, 1080, 1440, 1800, 2160, 2520, 2880, 3240]);
    run.emitted.forEach((e, i) => {
      const endSample = e.chunk.startSample + e.chunk.samples.length;
      expect(e.atMs).toBeCloseTo((1000 * endSample) / (360 * speed), 6);
      expect(e.pulled).toBe(i + 1); // nothing read ahead while waiting
    });
    expect(run.emitted.at(-1)?.atMs).toBeCloseTo((1000 * 3500) / (360 * speed), 6);
  });

  it('unsubscribing while waiting cancels the timer and closes the file', async () => {
    const rec = writeWfdbRecord(tempDir(), 'wait', [{ adc: lcgInts(3600, 900, 1200, 5) }]);
    const before = openDescriptorsOn(rec.signalPath);
    const reader = watched(await openRecord(rec.base, { chunkSamples: 360 }));
    const scheduler = new VirtualTimeScheduler();
    const seen: number[] = [];
    const subscription = recordSource(reader, { speed: 1, scheduler }).subscribe((c) => seen.push(c.startSample));
    while (scheduler.actions.length === 0) await new Promise((resolve) => setImmediate(resolve));
    subscription.unsubscribe();
    expect(scheduler.actions.length).toBe(0);
    await reader.ended;
    scheduler.flush();
    expect(seen).toEqual([]);
    expect(reader.pulled).toBe(1);
    if (before !== undefined) expect(openDescriptorsOn(rec.signalPath)).toBe(before);
  });

  it('each subscription reads the record from the start', async () => {
    const source = recordSource(await openRecord(FIXTURE, { chunkSamples: 36000 }));
    const first = await firstValueFrom(source.pipe(toArray()));
    const second = await firstValueFrom(source.pipe(toArray()));
    expect(second.map((c) => c.startSample)).toEqual([0, 36000, 72000]);
    expect(second).toEqual(first);
  });

  it('rejects a speed that is not > 0 when called', async () => {
    const opened = await openRecord(FIXTURE);
    expect(() => recordSource(opened, { speed: 0 })).toThrow(
      new ValidationError(
        '"speed" must be a number > 0 (× real time; got 0); use Infinity to replay as fast as possible',
      ),
    );
  });
});

/** A real opened record's synchronous reader, watched like `watched`. */
function watchedSync(opened: ChunkReader): ChunkReader & { pulled: number; closed: boolean } {
  const syncChunks = opened.syncChunks;
  if (syncChunks === undefined) throw new Error('this reader has no syncChunks');
  const reader = {
    pulled: 0,
    closed: false,
    chunks: () => {
      throw new Error('the synchronous reader should be used');
    },
    *syncChunks(): Generator<SampleChunk, void, undefined> {
      try {
        for (const chunk of syncChunks()) {
          reader.pulled++;
          yield chunk;
        }
      } finally {
        reader.closed = true;
      }
    },
  };
  return reader;
}

describe('recordSource on a synchronous reader (a WFDB file, unpaced)', () => {
  it('gives the chunks the asynchronous reader gives, in chunks of 97', async () => {
    const opened = await openRecord(FIXTURE, { chunkSamples: 97 });
    const expected = await collectChunks(opened.chunks(), 97);
    const chunks = await firstValueFrom(recordSource(watchedSync(opened)).pipe(toArray()));
    expect(chunks.length).toBe(expected.chunkCount);
    expect(chunks.map((c) => c.startSample).slice(0, 3)).toEqual([0, 97, 194]);
    expect(firstDifference(await collectChunks(toAsync(chunks), 97).then((r) => r.samples), expected.samples)).toBe(-1);
  });

  it('unsubscribing stops reading and closes the file', async () => {
    const rec = writeWfdbRecord(tempDir(), 'syncstop', [{ adc: lcgInts(50000, 900, 1200, 1) }]);
    const before = openDescriptorsOn(rec.signalPath);
    const reader = watchedSync(await openRecord(rec.base, { chunkSamples: 100 }));
    const firstThree = await firstValueFrom(recordSource(reader).pipe(take(3), toArray()));
    expect(firstThree.map((c) => c.startSample)).toEqual([0, 100, 200]);
    expect(reader.pulled).toBe(3);
    expect(reader.closed).toBe(true);
    if (before !== undefined) expect(openDescriptorsOn(rec.signalPath)).toBe(before);
  });

  it('an error downstream also stops reading and closes the file', async () => {
    const rec = writeWfdbRecord(tempDir(), 'syncdownstream', [{ adc: lcgInts(5000, 900, 1200, 6) }]);
    const reader = watchedSync(await openRecord(rec.base, { chunkSamples: 100 }));
    const failing = recordSource(reader).pipe(
      map((c) => {
        if (c.startSample === 200) throw new Error('sink failed');
        return c;
      }),
    );
    await expect(firstValueFrom(failing.pipe(toArray()))).rejects.toThrow('sink failed');
    expect(reader.pulled).toBe(3);
    expect(reader.closed).toBe(true);
  });

  it('read errors go to the error channel after the chunks before them', async () => {
    const rec = writeWfdbRecord(tempDir(), 'synccut', [{ adc: lcgInts(1001, 900, 1200, 2) }]);
    writeFileSync(rec.headerPath, readFileSync(rec.headerPath, 'utf8').replace('synccut 1 360 1001', 'synccut 1 360'));
    truncateSync(rec.signalPath, 1501);
    const seen: number[] = [];
    const reader = watchedSync(await openRecord(rec.base, { chunkSamples: 300 }));
    const error = await new Promise((resolve) => {
      recordSource(reader).subscribe({ next: (c) => seen.push(c.startSample), error: resolve, complete: () => resolve(undefined) });
    });
    expect(seen).toEqual([0, 300, 600, 900]);
    expect(error).toEqual(new FormatError(`${rec.signalPath}: ends inside a sample (1 of 3 bytes of a format 212 unit); the file is truncated`));
    expect(reader.closed).toBe(true);
  });
});

async function* toAsync(chunks: readonly SampleChunk[]): AsyncGenerator<SampleChunk> {
  for (const chunk of chunks) yield await Promise.resolve(chunk);
}

/** A reader that opens the record when it is first read (so open errors also reach `error`). */
function openRecordSync(path: string, chunkSamples: number): ChunkReader {
  return {
    async *chunks() {
      yield* (await openRecord(path, { chunkSamples })).chunks();
    },
  };
}

describe('recordSource reads CSV, WAV and EDF files synchronously when unpaced', () => {
  /** Subscribe at speed Infinity; how many chunks arrived inside `subscribe`, and all of them. */
  async function replayUnpaced(opened: ChunkReader): Promise<{ beforeAwait: number; chunks: SampleChunk[] }> {
    const chunks: SampleChunk[] = [];
    let beforeAwait = 0;
    const done = new Promise<void>((resolve, reject) => {
      recordSource(opened, { speed: Infinity }).subscribe({ next: (c) => chunks.push(c), error: reject, complete: resolve });
      beforeAwait = chunks.length; // no promise has settled yet: only synchronous reads got here
    });
    await done;
    return { beforeAwait, chunks };
  }

  it.each([
    ['CSV', `${FIXTURE}.csv`],
    ['WAV', join(dirname(FIXTURE), '..', 'audio-digits', 'stream-3-1-4.wav')],
    ['EDF', 'ecgsyn.edf'],
  ])('%s: the first chunks are emitted inside subscribe, and all are the chunks() chunks', async (kind, given) => {
    const path = kind === 'EDF' ? join(tempDir(), given) : given;
    if (kind === 'EDF') {
      const { samples } = await readRecord(FIXTURE);
      writeFileSync(path, Buffer.concat([...writeEdf({ sampleRateHz: 360, signals: [{ label: 'ECG', samples }] })]));
    }
    const opened = await openRecord(path, { chunkSamples: 97 });
    expect(opened.syncChunks).toBeDefined();
    const { beforeAwait, chunks } = await replayUnpaced(opened);
    expect(beforeAwait).toBeGreaterThan(0);
    const expected = await collectChunks(opened.chunks(), 97);
    expect(chunks.length).toBe(expected.chunkCount);
    expect(firstDifference(await collectChunks(toAsync(chunks), 97).then((r) => r.samples), expected.samples)).toBe(-1);
    // The asynchronous reader alone emits nothing before a promise settles.
    const asyncOnly = await replayUnpaced({ chunks: opened.chunks });
    expect(asyncOnly.beforeAwait).toBe(0);
    expect(asyncOnly.chunks.length).toBe(expected.chunkCount);
  });
});
