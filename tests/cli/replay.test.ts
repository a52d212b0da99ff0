/**
 * `edgespike replay` on the bundled synthetic fixture, run as a real process: the JSON lines
 * it prints are checked against the fixture's true beats (its .atr), the CSV copy against the
 * WFDB record, the text view's lines, wall-clock pacing and stopping on Ctrl-C (SIGINT).
 * Nothing here depends on the network's spike counts, only on what it must find.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { matchBeats } from '../../src/detect/beatMatching.ts';
import type { BeatEvent, EcgEvent, HrEvent, HrvEvent, SummaryEvent } from '../../src/core/events.ts';
import { beatSamples, parseMitAnnotations } from '../../src/formats/wfdb/annotation.ts';
import { linesOf, runCli } from '../helpers/cli.ts';
import type { CliResult } from '../helpers/cli.ts';
import { PROJECT_ROOT } from '../helpers/datasets.ts';

const FIXTURE = 'fixtures/synthetic-ecg/ecgsyn_360hz';
const SAMPLE_RATE_HZ = 360;
/** The fixture: 300 s, 370 true beats (its README). */
const DURATION_SECONDS = 300;
const TRUE_BEATS = 370;

/** Parse jsonl output; fails on any line that is not JSON. */
function parseJsonLines(stdout: string): EcgEvent[] {
  return linesOf(stdout).map((line) => JSON.parse(line) as EcgEvent);
}

function beatsOf(events: readonly EcgEvent[]): BeatEvent[] {
  return events.filter((e): e is BeatEvent => e.type === 'beat');
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The fixture's true beat samples, from its .atr. */
const truth = beatSamples(parseMitAnnotations(readFileSync(join(PROJECT_ROOT, `${FIXTURE}.atr`))));

let wfdb: CliResult;
let events: EcgEvent[];

beforeAll(async () => {
  wfdb = await runCli(['replay', FIXTURE, '--speed', 'max', '--format', 'jsonl']);
  events = parseJsonLines(wfdb.stdout);
});

describe('replay --speed max --format jsonl', () => {
  it('exits 0 and prints only JSON lines of beat, hr, quality, hrv and summary, the summary last', () => {
    expect(wfdb.stderr).toBe('');
    expect(wfdb.code).toBe(0);
    for (const event of events) expect(['beat', 'hr', 'quality', 'hrv', 'summary']).toContain(event.type);
    // The clean synthetic ECG is good from the first decision (after two one-second blocks) to the end.
    expect(events.filter((e) => e.type === 'quality')).toEqual([{ type: 'quality', t: 2, state: 'good' }]);
    expect(events.filter((e) => e.type === 'summary')).toHaveLength(1);
    const summary = events.at(-1) as SummaryEvent;
    expect(summary.type).toBe('summary');
    expect(summary.record).toBe('ecgsyn_360hz');
    expect(summary.beats).toBe(beatsOf(events).length);
    expect(summary.signalSeconds).toBe(DURATION_SECONDS);
    expect(summary.quality).toEqual({ goodSeconds: DURATION_SECONDS - 2, noisySeconds: 0, flatSeconds: 0 });
  });

  it('reports the HRV of the 5-minute record once, at its end, over every interval (a clean sinus rhythm has no ectopic one)', () => {
    const hrvs = events.filter((e): e is HrvEvent => e.type === 'hrv');
    expect(hrvs.map((e) => e.t)).toEqual([DURATION_SECONDS]);
    const e = hrvs[0] as HrvEvent;
    const samples = beatsOf(events).map((b) => b.sample);
    const rrMs = samples.slice(1).map((s, i) => ((s - (samples[i] as number)) * 1000) / SAMPLE_RATE_HZ);
    const mean = rrMs.reduce((a, b) => a + b, 0) / rrMs.length;
    const sd = Math.sqrt(rrMs.reduce((a, b) => a + (b - mean) ** 2, 0) / (rrMs.length - 1));
    expect(e.nn).toBe(rrMs.length);
    expect(e.meanNnMs).toBeCloseTo(mean, 2);
    expect(e.sdnnMs).toBeCloseTo(sd, 2);
    expect(e.coverage).toBeCloseTo(rrMs.reduce((a, b) => a + b, 0) / 1000 / DURATION_SECONDS, 3);
    expect(e.lfMs2).not.toBeNull();
  });

  it('finds every true beat and no false one (one-to-one within ±150 ms)', () => {
    expect(truth).toHaveLength(TRUE_BEATS);
    const samples = beatsOf(events).map((b) => b.sample);
    const match = matchBeats(samples, truth, { sampleRateHz: SAMPLE_RATE_HZ, toleranceSeconds: 0.15 });
    expect(match.unmatchedReferenceSamples).toEqual([]);
    expect(match.unmatchedDetectionSamples).toEqual([]);
    expect(match.truePositives).toBe(TRUE_BEATS);
  });

  it('dates each beat as t = sample / 360 s (to 4 decimals), in time order, each hr right after its beat', () => {
    let previous = -1;
    events.forEach((event, i) => {
      if (event.type === 'beat') {
        expect(event.t).toBeCloseTo(event.sample / SAMPLE_RATE_HZ, 4);
        expect(event.sample).toBeGreaterThan(previous);
        previous = event.sample;
      } else if (event.type === 'hr') {
        const before = events[i - 1] as EcgEvent;
        expect(before.type).toBe('beat');
        expect(event.t).toBe((before as BeatEvent).t);
      }
    });
  });

  it('reports a heart rate at every beat but the first, within 1 bpm of 60 / median of the last 8 true RR', () => {
    const samples = beatsOf(events).map((b) => b.sample);
    const match = matchBeats(samples, truth, { sampleRateHz: SAMPLE_RATE_HZ });
    const referenceOf = new Map<number, number>(); // detection index → true beat index
    match.detectionIndexOfReference.forEach((d, r) => referenceOf.set(d, r));
    const rates: { beatIndex: number; hr: HrEvent }[] = [];
    let beatIndex = -1;
    for (const event of events) {
      if (event.type === 'beat') beatIndex++;
      else if (event.type === 'hr') rates.push({ beatIndex, hr: event });
    }
    expect(rates).toHaveLength(samples.length - 1);
    expect(rates[0]?.beatIndex).toBe(1);
    for (const { beatIndex: d, hr } of rates) {
      const r = referenceOf.get(d) as number;
      const rrSeconds: number[] = [];
      for (let k = Math.max(1, r - 7); k <= r; k++) rrSeconds.push(((truth[k] as number) - (truth[k - 1] as number)) / SAMPLE_RATE_HZ);
      const expectedBpm = 60 / median(rrSeconds);
      expect(Math.abs(hr.bpm - expectedBpm), `hr at ${hr.t} s: ${hr.bpm} bpm, true ${expectedBpm.toFixed(2)} bpm`).toBeLessThanOrEqual(1);
    }
  });

  it('the CSV copy (mV, 3 decimals) gives the same beats to within 1 sample', async () => {
    const csv = await runCli(['replay', `${FIXTURE}.csv`, '--speed', 'max', '--format', 'jsonl']);
    expect(csv.stderr).toBe('');
    expect(csv.code).toBe(0);
    const fromCsv = beatsOf(parseJsonLines(csv.stdout)).map((b) => b.sample);
    const fromWfdb = beatsOf(events).map((b) => b.sample);
    expect(fromCsv).toHaveLength(fromWfdb.length);
    fromCsv.forEach((sample, i) => expect(Math.abs(sample - (fromWfdb[i] as number))).toBeLessThanOrEqual(1));
  });
});

describe('replay --format text to a pipe', () => {
  it('prints a header, one line per beat with its heart rate, then the summary', async () => {
    const result = await runCli(['replay', FIXTURE, '--speed', 'max', '--format', 'text']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // Not a terminal: no live line redrawn in place.
    expect(result.stdout).not.toContain('\r');
    expect(result.stdout).not.toContain('\u001b');
    const lines = linesOf(result.stdout);
    expect(lines[0]).toBe('edgespike replay ecgsyn_360hz (5:00)');
    const beatLine = /^ {2}beat +(\d+) {2}at \d+:\d\d \((\d+\.\d{3}) s\)(?: {3}(\d+\.\d) bpm)?$/;
    const beatLines = lines.slice(1).filter((l) => l.startsWith('  beat '));
    const jsonBeats = beatsOf(events);
    const jsonRates = events.filter((e): e is HrEvent => e.type === 'hr');
    expect(beatLines).toHaveLength(jsonBeats.length);
    beatLines.forEach((line, i) => {
      const m = beatLine.exec(line);
      expect(m, line).not.toBeNull();
      const [, number, seconds, bpm] = m as RegExpExecArray;
      expect(Number(number)).toBe(i + 1);
      expect(Number(seconds)).toBeCloseTo((jsonBeats[i] as BeatEvent).t, 3);
      if (i === 0) expect(bpm).toBeUndefined();
      else expect(Math.abs(Number(bpm) - (jsonRates[i - 1] as HrEvent).bpm)).toBeLessThanOrEqual(0.06);
    });
    const done = lines.indexOf('done:');
    // The one HRV window (the whole 5 minutes) closes at the end, after the last beat.
    expect(lines[done - 1]).toMatch(/^ {2}hrv 0:00-5:00 {2}mean NN \d+\.\d ms {2}SDNN \d+\.\d ms {2}RMSSD /);
    expect(done).toBe(1 + beatLines.length + 1);
    expect(lines[done + 1]).toBe(`  beats            ${jsonBeats.length}`);
    expect(lines.slice(done + 1).join('\n')).toContain('mean heart rate');
  });
});

describe('replay pacing and stopping', () => {
  it('--speed 100 takes at least the 3 s of pacing a 300 s record needs (>= 2.5 s allowed)', async () => {
    const result = await runCli(['replay', FIXTURE, '--speed', '100', '--format', 'jsonl']);
    expect(result.code).toBe(0);
    expect(result.wallMs).toBeGreaterThanOrEqual(2500);
    const summary = parseJsonLines(result.stdout).at(-1) as SummaryEvent;
    expect(summary).toMatchObject({ type: 'summary', signalSeconds: DURATION_SECONDS, beats: beatsOf(events).length });
  });

  it('SIGINT about 1 s into a --speed 10 replay stops it: summary last, 5-20 s of signal, exit 0', async () => {
    // Timed from the first output (the first beat, 0.36 s into the record), not from spawn,
    // so start-up time does not matter.
    const result = await runCli(['replay', FIXTURE, '--speed', '10', '--format', 'jsonl'], {
      onFirstOutput: (child) => setTimeout(() => child.kill('SIGINT'), 1000),
    });
    expect(result.stderr).toBe('');
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
    const stopped = parseJsonLines(result.stdout);
    const summary = stopped.at(-1) as SummaryEvent;
    expect(summary.type).toBe('summary');
    expect(summary.signalSeconds).toBeGreaterThanOrEqual(5);
    expect(summary.signalSeconds).toBeLessThanOrEqual(20);
    expect(summary.beats).toBe(beatsOf(stopped).length);
    expect(summary.beats).toBeLessThan(TRUE_BEATS);
  });
});
