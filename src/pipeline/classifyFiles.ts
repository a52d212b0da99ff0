/**
 * `classify` as one call: list the WAV files of the paths given (labels from names or
 * folders), keep a split if asked, classify each file (under each condition, if any), write
 * each result as it comes (jsonl lines, or text table lines) and the summary at the end.
 *
 * A file or path that cannot be read is reported on `err` (one line naming it; in jsonl also
 * as an `error` line, in text under the summary) and skipped; the others are still classified.
 */
import { EdgespikeError, ValidationError } from '../core/errors.ts';
import { classifyWavFile, type AudioClassifier, type ClipClassification } from './audioClassify.ts';
import { inTestSplit, listFilesWithLabels, type MaybeLabelledFile } from './audioDataset.ts';
import { classifyUnderConditions, conditionScore, type AudioCondition, type NoiseClip } from './audioStress.ts';
import { CLASSIFY_TEXT_HEADER, classificationEvent, classificationText, classifySummaryEvent, classifySummaryText } from './classifyReport.ts';
import type { ClassifyErrorEvent, ClassifySummaryEvent, ClipCondition } from '../core/events.ts';
import { printableLine } from '../core/printable.ts';

/** What `classifyFiles` classifies, and how it writes. */
export interface ClassifyFilesOptions {
  /** WAV files or folders (searched recursively, sorted by path), in the order given. */
  readonly paths: readonly string[];
  readonly classifier: AudioClassifier;
  /** --model as given; undefined for the bundled model (the summary names its path). */
  readonly modelPath: string | undefined;
  /** jsonl: a line per result, then the summary; json: the summary only, indented; text: a table and the summary. */
  readonly format: 'jsonl' | 'json' | 'text';
  /** Channel of multi-channel files: 0-based index, or the mean of all. */
  readonly channel: number | 'mix';
  /** Only the labelled files of this split of `train`. */
  readonly split: 'test' | 'train' | undefined;
  /** Classify every file under each condition (gain × SNR), the noise placed by `seed`. */
  readonly conditions?: { readonly list: readonly AudioCondition[]; readonly noises: readonly NoiseClip[]; readonly seed: number };
}

/** Where `classifyFiles` writes: results on `out` (a terminal gets the text table line by line), messages on `err`, progress bars. */
export interface ClassifyIo {
  readonly out: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly err: { write(text: string): unknown };
  progress(total: number): { update(done: number, label: string): void; done(): void };
}

/**
 * Classify the files of `options.paths` and write the results and the summary.
 * @returns the number of files or paths that could not be classified (0: all were)
 * @throws ValidationError when `split` leaves none of the files found
 */
export async function classifyFiles(options: ClassifyFilesOptions, io: ClassifyIo): Promise<number> {
  const { classifier, format, channel, split, conditions } = options;
  const { out, err } = io;
  const started = performance.now();
  let failed = 0;
  const errorEvents: ClassifyErrorEvent[] = [];
  let bar = io.progress(0); // replaced once the files are known
  const reportError = (file: string, error: EdgespikeError): void => {
    failed++;
    const message = errorMessage(file, error);
    bar.done(); // clear the bar's line first
    err.write(`edgespike: ${printableLine(message)}\n`);
    if (format === 'jsonl') out.write(JSON.stringify({ type: 'error', file, message } satisfies ClassifyErrorEvent) + '\n');
    else errorEvents.push({ type: 'error', file, message });
  };

  let files: MaybeLabelledFile[] = [];
  for (const path of options.paths) {
    try {
      files.push(...(await listFilesWithLabels(path)));
    } catch (error) {
      if (!(error instanceof EdgespikeError)) throw error;
      reportError(path, error);
    }
  }
  if (split !== undefined) {
    const found = files.length;
    files = files.filter((f) => f.label !== undefined && inTestSplit(f) === (split === 'test'));
    if (files.length === 0 && found > 0) {
      throw new ValidationError(`--split ${split}: none of the ${found} files found is in the ${split} split (FSDD indices 0-4 are the test split; see edgespike classify --help)`);
    }
  }

  bar = io.progress(files.length);
  // One list of results per condition (one list when there are none).
  const results: { file: MaybeLabelledFile; result: ClipClassification }[][] = (conditions?.list ?? [undefined]).map(() => []);
  if (format === 'text' && files.length > 0 && conditions === undefined) out.write(CLASSIFY_TEXT_HEADER);
  for (const [i, file] of files.entries()) {
    bar.update(i, file.path);
    let classified: { result: ClipClassification; condition?: ClipCondition }[];
    try {
      classified =
        conditions === undefined
          ? [{ result: await classifyWavFile(classifier, file.path, channel) }]
          : await classifyUnderConditions(classifier, file.path, channel, conditions.list, conditions.noises, conditions.seed, i);
    } catch (error) {
      if (!(error instanceof EdgespikeError)) throw error;
      reportError(file.path, error);
      continue;
    }
    for (const [k, { result, condition }] of classified.entries()) {
      results[k]?.push({ file, result });
      const event = classificationEvent(file, result, classifier.weights, condition);
      if (format === 'jsonl') out.write(JSON.stringify(event) + '\n');
      else if (format === 'text' && conditions === undefined) {
        if (out.isTTY === true) bar.done();
        out.write(classificationText(event));
      }
    }
  }
  bar.done();

  const summary: ClassifySummaryEvent = {
    ...classifySummaryEvent(classifier, options.modelPath, results[0] ?? [], failed, split, (performance.now() - started) / 1000),
    ...(conditions !== undefined && conditions.noises.length > 0 ? { seed: conditions.seed } : {}),
    ...(conditions === undefined ? {} : { conditions: conditions.list.map((c, k) => conditionScore(c, conditions.noises, results[k] ?? [], classifier.model.classes)) }),
  };
  if (format === 'jsonl') out.write(JSON.stringify(summary) + '\n');
  else if (format === 'json') out.write(JSON.stringify(summary, null, 2) + '\n');
  else out.write(classifySummaryText(summary, errorEvents));
  return failed;
}

/** An error's message as one line that names `file`. */
function errorMessage(file: string, error: EdgespikeError): string {
  const message = error.message.replace(/\s*\n\s*/g, ' ');
  return message.includes(file) ? message : `${file}: ${message}`;
}
