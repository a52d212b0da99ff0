/** WFDB signal files decoded piece by piece, as a reader gets them. */
import { expect } from 'vitest';
import {
  createWfdbSignalDecoder,
  decodeWfdbSignal,
  finishWfdbSignal,
  maxDecodedSamples,
} from '../../src/formats/wfdb/signal.ts';

/**
 * Decode a signal file handed over in `pieces` (empty ones allowed), then finish it: a final
 * 2-byte format 212 unit gives its one sample, a file ending inside a sample throws. Checks on
 * the way that `maxDecodedSamples` is exact for every piece.
 */
export function decodeWfdbPieces(format: number, pieces: Iterable<Uint8Array>): number[] {
  const decoder = createWfdbSignalDecoder(format);
  const samples: number[] = [];
  for (const piece of pieces) {
    const out = new Int32Array(maxDecodedSamples(decoder, piece.length));
    const n = decodeWfdbSignal(decoder, piece, out);
    expect(n).toBe(out.length);
    samples.push(...out.subarray(0, n));
  }
  const tail = new Int32Array(1);
  samples.push(...tail.subarray(0, finishWfdbSignal(decoder, tail)));
  return samples;
}
