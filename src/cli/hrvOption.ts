/**
 * `--hrv-window S`, `--hrv-step S` of `replay` and `run`: the sliding windows of the `hrv`
 * events (`detect/hrvWindows.ts`); `--hrv-window 0` turns them off.
 */
import { UsageError } from '../core/errors.ts';
import { DEFAULT_HRV_STEP_SECONDS, DEFAULT_HRV_WINDOW_SECONDS } from '../detect/hrvWindows.ts';
import type { HrvChoice } from '../pipeline/ecgPipeline.ts';
import { stringFlags } from './command.ts';

/** Longest window, s (a day: the window's intervals are held in memory, about 24 bytes each). */
const MAX_HRV_WINDOW_SECONDS = 86_400;

/** The flags, for a command's option table. */
export const HRV_FLAGS = stringFlags('hrv-window', 'hrv-step');

/** The lines of --help about HRV (same for replay and run). */
export const HRV_HELP = `  --hrv-window S       heart-rate variability over the last S seconds, as {"type":"hrv",...}
                       lines (mean NN, SDNN, RMSSD, pNN50, LF, HF, LF/HF of the NN
                       intervals: implausible and ectopic intervals left out; no
                       measures when they cover under half the window); 0: none.
                       10..${MAX_HRV_WINDOW_SECONDS}. Default: ${DEFAULT_HRV_WINDOW_SECONDS} (5 minutes)
  --hrv-step S         a window every S seconds. Default: ${DEFAULT_HRV_STEP_SECONDS}`;

type HrvValues = { 'hrv-window'?: string; 'hrv-step'?: string };

/** The HRV windows asked for; false for none. @throws UsageError for a bad number, or an HRV flag with a task other than ECG */
export function parseHrvFlags(values: HrvValues, task: string): HrvChoice {
  const windowText = values['hrv-window'];
  const stepText = values['hrv-step'];
  if (task !== 'ecg' && (windowText !== undefined || stepText !== undefined)) throw new UsageError('--hrv-window and --hrv-step are for ECG (--task ecg)');
  const windowSeconds = windowText === undefined ? DEFAULT_HRV_WINDOW_SECONDS : Number(windowText);
  if (!Number.isFinite(windowSeconds) || (windowSeconds !== 0 && (windowSeconds < 10 || windowSeconds > MAX_HRV_WINDOW_SECONDS))) {
    throw new UsageError(`--hrv-window must be 0 (none) or 10..${MAX_HRV_WINDOW_SECONDS} seconds (got "${windowText}")`);
  }
  const stepSeconds = stepText === undefined ? DEFAULT_HRV_STEP_SECONDS : Number(stepText);
  if (!(stepSeconds >= 1) || stepSeconds > MAX_HRV_WINDOW_SECONDS) throw new UsageError(`--hrv-step must be 1..${MAX_HRV_WINDOW_SECONDS} seconds (got "${stepText}")`);
  if (windowSeconds === 0) {
    if (stepText !== undefined) throw new UsageError('--hrv-step needs HRV windows (not --hrv-window 0)');
    return false;
  }
  return { windowSeconds, stepSeconds };
}
