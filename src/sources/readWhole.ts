/**
 * A whole WFDB channel in one array, for tools that need random access (tuning, benchmarks,
 * tests). Streaming code should use `openWfdbRecord(...).chunks()` instead.
 */
import type { WfdbRecordInfo } from './wfdbRecord.ts';
import { openWfdbRecord } from './wfdbRecord.ts';

/** Read channel `channel` of a record entirely (pipeline counts of 5 µV). */
export async function readWholeRecord(path: string, channel: number | string = 0): Promise<{ info: WfdbRecordInfo; samples: Int32Array }> {
  const record = await openWfdbRecord(path, { channel, chunkSamples: 65536 });
  const parts: Int32Array[] = [];
  for await (const chunk of record.chunks()) parts.push(chunk.samples);
  const samples = new Int32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    samples.set(p, at);
    at += p.length;
  }
  return { info: record.info, samples };
}
