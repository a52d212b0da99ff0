/**
 * The signal tasks by name. Adding a task: a file in this folder with its `SignalTask`, and one
 * entry here.
 */
import { digitsTask } from './digits.ts';
import { ecgBeatsTask } from './ecgBeats.ts';

export { digitsTask, ecgBeatsTask };

/** `--task` names: `ecg`, `digits`, and `audio` (a --model without --task: the word task with that model). */
export type TaskName = 'ecg' | 'digits' | 'audio';

export function taskFor(name: TaskName): typeof ecgBeatsTask | typeof digitsTask {
  return name === 'ecg' ? ecgBeatsTask : digitsTask;
}
