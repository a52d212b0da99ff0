/**
 * The signal tasks by name. Adding a task: a file in this folder with its `SignalTask`, and one
 * loader here. Each task is loaded when asked for, so a command pays start-up time and memory
 * only for the task it runs (an ECG replay does not load the audio front end, and back).
 */
import type { digitsTask } from './digits.ts';
import type { ecgBeatsTask } from './ecgBeats.ts';

/** `--task` names: `ecg`, `digits`, and `audio` (a --model without --task: the word task with that model). */
export type TaskName = 'ecg' | 'digits' | 'audio';

/** The `ecg` task (heart beats), loaded on first use. */
export async function loadEcgBeatsTask(): Promise<typeof ecgBeatsTask> {
  return (await import('./ecgBeats.ts')).ecgBeatsTask;
}

/** The `digits` task (spoken words), loaded on first use. */
export async function loadDigitsTask(): Promise<typeof digitsTask> {
  return (await import('./digits.ts')).digitsTask;
}
