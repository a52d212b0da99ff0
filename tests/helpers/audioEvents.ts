/** The JSON lines of `classify` and of audio `replay`/`run`, parsed for tests. */
import { expect } from 'vitest';
import type { AudioSummaryEvent, ClassificationEvent, ClassifyEvent, ClassifySummaryEvent, DetectionEvent } from '../../src/core/events.ts';
import { linesOf } from './cli.ts';

/** `classify --format jsonl` output, one event per line. */
export function parseEvents(stdout: string): ClassifyEvent[] {
  return linesOf(stdout).map((line) => JSON.parse(line) as ClassifyEvent);
}

export function classifications(events: readonly ClassifyEvent[]): ClassificationEvent[] {
  return events.filter((e): e is ClassificationEvent => e.type === 'classification');
}

/** The summary, which must be the last line. */
export function summaryOf(events: readonly ClassifyEvent[]): ClassifySummaryEvent {
  const last = events.at(-1);
  expect(last?.type).toBe('summary');
  return last as ClassifySummaryEvent;
}

/** A line of an audio task's `--format jsonl` output. */
export type AudioLine = DetectionEvent | AudioSummaryEvent;

export function parseAudioLines(stdout: string): AudioLine[] {
  return linesOf(stdout).map((line) => JSON.parse(line) as AudioLine);
}

export function detectionsOf(lines: readonly AudioLine[]): DetectionEvent[] {
  return lines.filter((e): e is DetectionEvent => e.type === 'detection');
}

/** The one summary, which must be the last line. */
export function audioSummaryOf(lines: readonly AudioLine[]): AudioSummaryEvent {
  const last = lines.at(-1);
  expect(last?.type).toBe('summary');
  expect(lines.filter((e) => e.type === 'summary')).toHaveLength(1);
  return last as AudioSummaryEvent;
}
