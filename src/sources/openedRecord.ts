/**
 * What the file sources (`openWfdbRecord`, `openCsvFile`, `openRecord`) hand back: a
 * description of the record, read up front, and a way to read its samples in chunks.
 */
import type { SampleChunk } from '../core/chunks.ts';
import { ValidationError } from '../core/errors.ts';

/** Samples per chunk when the caller does not say. */
export const DEFAULT_CHUNK_SAMPLES = 512;

/** Bytes read from a file at a time: memory use does not grow with the record's length. */
export const READ_BLOCK_BYTES = 64 * 1024;

/** Fields every record description has. */
export interface RecordInfoBase {
  /** The path the caller gave. */
  readonly path: string;
  /** Record name: the file name without its extension (WFDB: the header's record name). */
  readonly recordName: string;
  /** Samples per second, Hz. */
  readonly sampleRateHz: number;
  /** Samples in the channel; undefined when unknown before reading to the end. */
  readonly samplesPerSignal: number | undefined;
  /** `samplesPerSignal / sampleRateHz`, s; undefined when the length is unknown. */
  readonly durationSeconds: number | undefined;
  /** 0-based index of the channel (signal or column) being read. */
  readonly channel: number;
  /** The channel's name: the WFDB signal description (e.g. `MLII`) or the CSV column name. */
  readonly channelName: string;
  /** Physical units of the stored values (chunks always carry pipeline counts of 5 µV). */
  readonly units: string;
}

/** An opened record: its description and its samples. */
export interface OpenedRecord<Info extends RecordInfoBase = RecordInfoBase> {
  readonly info: Info;
  /**
   * Read the channel from the start, in chunks of `chunkSamples` (the last may be shorter),
   * `startSample` counted from the record's start, samples in pipeline counts (5 µV).
   * Each call reads the file anew; the file is open only while the iteration runs, and
   * stopping early (`break`, `return()`) closes it. A closure (no `this`): safe to destructure.
   */
  readonly chunks: () => AsyncIterable<SampleChunk>;
  /**
   * The same chunks read synchronously (a file read per block, no promise per chunk), for
   * readers whose input is a local file; `recordSource` uses it when replaying unpaced.
   */
  readonly syncChunks?: () => Iterable<SampleChunk>;
}

/**
 * Check a `chunkSamples` option.
 * @throws ValidationError unless it is an integer ≥ 1
 */
export function checkChunkSamples(chunkSamples: number): void {
  if (!Number.isInteger(chunkSamples) || chunkSamples < 1) {
    throw new ValidationError(`"chunkSamples" must be an integer >= 1 (got ${String(chunkSamples)})`);
  }
}

/** The `code` of a Node file-system error, e.g. `ENOENT`; undefined for anything else. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    return typeof error.code === 'string' ? error.code : undefined;
  }
  return undefined;
}
