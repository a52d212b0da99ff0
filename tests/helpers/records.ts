/**
 * Real record files for the source tests: WFDB records and CSV files written to a temporary
 * folder with the project's own writers, and helpers that read a source back.
 */
import { mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import type { SampleChunk } from '../../src/core/chunks.ts';
import type { WritableWfdbFormat } from '../../src/formats/wfdb/writer.ts';
import {
  encodeFormat16,
  encodeFormat212,
  formatWfdbHeader,
  wfdbChecksum,
} from '../../src/formats/wfdb/writer.ts';

/**
 * A temporary folder for the current test file: created before its tests, removed after.
 * @returns a function giving the folder's path (valid inside tests and hooks)
 */
export function useTempDir(prefix?: string): () => string {
  let made: { dir: string; remove: () => void } | undefined;
  beforeAll(() => {
    made = makeTempDir(prefix);
  });
  afterAll(() => made?.remove());
  return () => {
    if (made === undefined) throw new Error('useTempDir: the folder exists only inside tests');
    return made.dir;
  };
}

/** A fresh temporary folder and a function that removes it. */
export function makeTempDir(prefix = 'edgespike-sources-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** One signal of a record to write. */
export interface SignalToWrite {
  /** ADC values, one per sample. */
  readonly adc: Int32Array;
  /** @default 200 */
  readonly gainAduPerUnit?: number;
  /** @default 1024 for format 212, 0 for 16 */
  readonly baselineAdu?: number;
  /** @default 'mV' */
  readonly units?: string;
  /** @default `sig<i>` */
  readonly description?: string;
}

/** Paths of a written record. */
export interface WrittenRecord {
  /** The record path without extension. */
  readonly base: string;
  readonly headerPath: string;
  readonly signalPath: string;
}

/**
 * Write `<dir>/<name>.hea` and `<dir>/<name>.dat` for equally long signals, interleaved.
 * @param headerSamples the length the header states; @default the true length
 */
export function writeWfdbRecord(
  dir: string,
  name: string,
  signals: readonly SignalToWrite[],
  options: { format?: WritableWfdbFormat; sampleRateHz?: number; headerSamples?: number } = {},
): WrittenRecord {
  const format = options.format ?? 212;
  const length = signals[0]?.adc.length ?? 0;
  const flat = new Int32Array(length * signals.length);
  signals.forEach((s, i) => {
    if (s.adc.length !== length) throw new Error('signals must be equally long');
    for (let t = 0; t < length; t++) flat[t * signals.length + i] = s.adc[t] as number;
  });
  const base = join(dir, name);
  const headerPath = `${base}.hea`;
  const signalPath = `${base}.dat`;
  writeFileSync(signalPath, format === 212 ? encodeFormat212(flat) : encodeFormat16(flat));
  writeFileSync(
    headerPath,
    formatWfdbHeader({
      recordName: name,
      sampleRateHz: options.sampleRateHz ?? 360,
      samplesPerSignal: options.headerSamples ?? length,
      signals: signals.map((s, i) => ({
        fileName: `${name}.dat`,
        format,
        gainAduPerUnit: s.gainAduPerUnit ?? 200,
        baselineAdu: s.baselineAdu ?? (format === 212 ? 1024 : 0),
        units: s.units ?? 'mV',
        adcResolutionBits: format === 212 ? 12 : 16,
        adcZero: format === 212 ? 1024 : 0,
        initialValue: s.adc[0] ?? 0,
        checksum: wfdbChecksum(s.adc),
        description: s.description ?? `sig${i}`,
      })),
    }),
  );
  return { base, headerPath, signalPath };
}

/** Deterministic pseudo-random integers in [min, max] (a 32-bit LCG), so failures reproduce. */
export function lcgInts(length: number, min: number, max: number, seed: number): Int32Array {
  const out = new Int32Array(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = min + Math.floor((x / 2 ** 32) * (max - min + 1));
  }
  return out;
}

/** Every chunk of an iteration, checking that chunks are contiguous and full but the last. */
export async function collectChunks(
  chunks: AsyncIterable<SampleChunk>,
  chunkSamples: number,
): Promise<{ samples: Int32Array; chunkCount: number; sampleRateHz: number | undefined }> {
  const parts: Int32Array[] = [];
  let next = 0;
  let sampleRateHz: number | undefined;
  let lastWasShort = false;
  for await (const chunk of chunks) {
    if (lastWasShort) throw new Error(`a short chunk came before the chunk at ${chunk.startSample}`);
    if (chunk.startSample !== next) {
      throw new Error(`chunk starts at ${chunk.startSample}, expected ${next}`);
    }
    if (chunk.samples.length === 0 || chunk.samples.length > chunkSamples) {
      throw new Error(`chunk at ${chunk.startSample} holds ${chunk.samples.length} samples`);
    }
    lastWasShort = chunk.samples.length < chunkSamples;
    sampleRateHz = chunk.sampleRateHz;
    parts.push(chunk.samples);
    next += chunk.samples.length;
  }
  const samples = new Int32Array(next);
  let at = 0;
  for (const part of parts) {
    samples.set(part, at);
    at += part.length;
  }
  return { samples, chunkCount: parts.length, sampleRateHz };
}

/**
 * How many of this process's file descriptors are open on `path` (Linux `/proc/self/fd`);
 * undefined where that folder does not exist.
 */
export function openDescriptorsOn(path: string): number | undefined {
  let fds: string[];
  try {
    fds = readdirSync('/proc/self/fd');
  } catch {
    return undefined;
  }
  const target = resolve(path);
  let count = 0;
  for (const fd of fds) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === target) count++;
    } catch {
      // closed while we looked
    }
  }
  return count;
}

/**
 * Index of the first sample where `a` and `b` differ, the shorter length if one is a prefix
 * of the other, or -1 when they are equal. Far faster than a deep `toEqual` on long arrays.
 */
export function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** What one read of a source gave: its chunks (samples copied out) and the error it ended with. */
export interface ReadOutcome {
  readonly chunks: { startSample: number; sampleRateHz: number; samples: number[] }[];
  /** `<class>: <message>` of the error the read threw, or undefined when it completed. */
  readonly error: string | undefined;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error);
}

function copyChunk(chunk: SampleChunk): ReadOutcome['chunks'][number] {
  return { startSample: chunk.startSample, sampleRateHz: chunk.sampleRateHz, samples: Array.from(chunk.samples) };
}

/** Read `chunks()` to its end or its error. */
export async function readOutcome(chunks: AsyncIterable<SampleChunk>): Promise<ReadOutcome> {
  const got: ReadOutcome['chunks'] = [];
  try {
    for await (const chunk of chunks) got.push(copyChunk(chunk));
  } catch (error) {
    return { chunks: got, error: describeError(error) };
  }
  return { chunks: got, error: undefined };
}

/** Read `syncChunks()` to its end or its error. */
export function readOutcomeSync(chunks: Iterable<SampleChunk>): ReadOutcome {
  const got: ReadOutcome['chunks'] = [];
  try {
    for (const chunk of chunks) got.push(copyChunk(chunk));
  } catch (error) {
    return { chunks: got, error: describeError(error) };
  }
  return { chunks: got, error: undefined };
}

/**
 * Read an opened record both ways and check that `syncChunks()` gives exactly what `chunks()`
 * gives: the same chunks (sizes, starts, rates, samples) and the same error at the same point.
 * @returns the outcome, for checks of its own (e.g. that a damaged file does end in an error)
 */
export async function expectSyncLikeAsync(opened: {
  readonly chunks: () => AsyncIterable<SampleChunk>;
  readonly syncChunks?: (() => Iterable<SampleChunk>) | undefined;
}): Promise<ReadOutcome> {
  if (opened.syncChunks === undefined) throw new Error('expectSyncLikeAsync: the record has no syncChunks');
  const viaAsync = await readOutcome(opened.chunks());
  const viaSync = readOutcomeSync(opened.syncChunks());
  expect(viaSync.error).toBe(viaAsync.error);
  expect(viaSync.chunks.length).toBe(viaAsync.chunks.length);
  expect(viaSync.chunks).toEqual(viaAsync.chunks);
  return viaAsync;
}
