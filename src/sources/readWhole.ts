/**
 * A whole WFDB channel in one array, for tools that need random access (tuning, benchmarks,
 * tests). Streaming code should use `openWfdbRecord(...).chunks()` instead.
 */
import { concatArrays } from '../core/concatArrays.ts';
import type { ChunkReader } from './recordSource.ts';
import type { WfdbRecordInfo } from './wfdbRecord.ts';
import { openWfdbRecord } from './wfdbRecord.ts';

/** Read channel `channel` of a record entirely (pipeline counts of 5 µV). */
export async function readWholeRecord(path: string, channel: number | string = 0): Promise<{ info: WfdbRecordInfo; samples: Int32Array }> {
  const record = await openWfdbRecord(path, { channel, chunkSamples: 65536 });
  return { info: record.info, samples: await readAllSamples(record) };
}

/**
 * Every sample of an opened record or file (`openWfdbRecord`, `openWavFile`, ...), read from its
 * start and joined in one array. Cost: O(samples) memory, the chunks and their copy.
 */
export async function readAllSamples(opened: ChunkReader): Promise<Int32Array<ArrayBuffer>> {
  const parts: Int32Array[] = [];
  for await (const chunk of opened.chunks()) parts.push(chunk.samples);
  return concatArrays(parts, Int32Array);
}
