/**
 * How well a device's own beats (the AD8232 beats sketch's `B <sample>` lines) agree with the
 * host's beats of the same samples: one-to-one matching within ±T (`matchBeats`, the MIT-BIH
 * convention, T = round(0.15 s · fs)), then how many matched pairs are at the very same sample.
 *
 *   agree      = TP of matchBeats(board, host)        (board beats as detections, host as reference)
 *   sameSample = |board ∩ host|                        (identical sample indices)
 *
 * Symbols: fs — the stream's sample rate, Hz; T — the tolerance, samples.
 * @example board [100, 460, 900], host [100, 450, 2000], fs 360 (T = 54)
 *   → { boardBeats: 3, hostBeats: 3, agree: 2, toleranceSamples: 54, sameSample: 1 }
 * Cost: O(n + m); allocates only the matcher's result.
 */
import type { BoardBeatAgreement } from '../core/events.ts';
import { matchBeats } from './beatMatching.ts';

/**
 * @param boardBeats the device's beat samples, non-decreasing
 * @param hostBeats the host's beat samples of the same stream, non-decreasing
 * @param sampleRateHz fs, Hz (> 0)
 */
export function boardBeatAgreement(boardBeats: ArrayLike<number>, hostBeats: ArrayLike<number>, sampleRateHz: number): BoardBeatAgreement {
  const match = matchBeats(boardBeats, hostBeats, { sampleRateHz });
  let sameSample = 0;
  for (let i = 0, j = 0; i < boardBeats.length && j < hostBeats.length; ) {
    const b = boardBeats[i] as number;
    const h = hostBeats[j] as number;
    if (b === h) {
      sameSample++;
      i++;
      j++;
    } else if (b < h) i++;
    else j++;
  }
  return {
    boardBeats: boardBeats.length,
    hostBeats: hostBeats.length,
    agree: match.truePositives,
    toleranceSamples: match.toleranceSamples,
    sameSample,
  };
}

/** The summary's line: "board 28 beats, host 28: 28 agree within 54 samples, 27 at the same sample". */
export function boardAgreementLine(a: BoardBeatAgreement): string {
  return `board ${a.boardBeats} beats, host ${a.hostBeats}: ${a.agree} agree within ${a.toleranceSamples} samples, ${a.sameSample} at the same sample`;
}
