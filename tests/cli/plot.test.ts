/**
 * `edgespike plot`, run as a real process. Nothing about what the network answers is
 * hard-coded: the markers in the SVG are counted (Vega writes a marker's `description` as its
 * `aria-label`) and compared with what `replay` prints for the same window and with what
 * eval's matcher (`matchBeats`, ±150 ms) gives for the window's beats.
 */
import { copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MATCH_TOLERANCE_SECONDS, matchBeats } from '../../src/detect/beatMatching.ts';
import type { BeatEvent, DetectionEvent } from '../../src/core/events.ts';
import { beatSamples, parseMitAnnotations } from '../../src/formats/wfdb/annotation.ts';
import { encodeMitAnnotations } from '../../src/formats/wfdb/writer.ts';
import { hasStackTrace, linesOf, runCli, type CliResult } from '../helpers/cli.ts';
import { PROJECT_ROOT } from '../helpers/datasets.ts';
import { useTempDir } from '../helpers/records.ts';

const RECORD = 'fixtures/synthetic-ecg/ecgsyn_360hz';
const STREAM = 'fixtures/audio-digits/stream-3-1-4.wav';
const FS = 360;
const FROM = 20;
const TO = 30;
const tempDir = useTempDir('edgespike-plot-');

/** aria-labels of the SVG's marks that start with `prefix`. */
function labels(svg: string, prefix: string): string[] {
  return [...svg.matchAll(/aria-label="([^"]*)"/g)].map((m) => m[1] as string).filter((l) => l.startsWith(prefix));
}

function ok(result: CliResult): void {
  expect(hasStackTrace(result.stderr)).toBe(false);
  expect(result.stderr).toMatch(/^edgespike: wrote /);
  expect(result.code).toBe(0);
}

/** Detected beats `replay --format jsonl` prints, record samples. */
let replayBeats: number[] = [];
const referenceBeats = beatSamples(parseMitAnnotations(readFileSync(join(PROJECT_ROOT, `${RECORD}.atr`)), 'atr'));
const inWindow = (s: number): boolean => s >= FROM * FS && s < TO * FS;

/** TP, FP, FN of eval's matcher over the window's beats. */
function windowScore(detected: number[], reference: number[]): { tp: number; fp: number; fn: number } {
  const m = matchBeats(detected.filter(inWindow), reference.filter(inWindow), { sampleRateHz: FS, toleranceSeconds: DEFAULT_MATCH_TOLERANCE_SECONDS });
  return { tp: m.truePositives, fp: m.falsePositives, fn: m.falseNegatives };
}

function markerCounts(svg: string): { detections: number; tp: number; fp: number; fn: number; references: number } {
  return {
    detections: labels(svg, 'detection ').length,
    tp: labels(svg, 'detection TP ').length,
    fp: labels(svg, 'detection FP ').length,
    fn: labels(svg, 'reference FN ').length,
    references: labels(svg, 'reference ').length,
  };
}

describe('plot an ECG record', () => {
  beforeAll(async () => {
    const replay = await runCli(['replay', RECORD, '--speed', 'max', '--format', 'jsonl']);
    expect(replay.code).toBe(0);
    replayBeats = linesOf(replay.stdout)
      .map((l) => JSON.parse(l) as { type: string })
      .filter((e): e is BeatEvent => e.type === 'beat')
      .map((e) => e.sample);
    expect(replayBeats.length).toBeGreaterThan(300);
  });

  it('marks exactly the beats replay reports in the window, each TP/FP as eval matches them', async () => {
    const out = join(tempDir(), 'window.svg');
    ok(await runCli(['plot', RECORD, '--from', String(FROM), '--to', String(TO), '--out', out]));
    const svg = readFileSync(out, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    const counts = markerCounts(svg);
    const score = windowScore(replayBeats, referenceBeats);
    expect(counts.detections).toBe(replayBeats.filter(inWindow).length);
    expect(counts.detections).toBeGreaterThan(5);
    expect({ tp: counts.tp, fp: counts.fp, fn: counts.fn }).toEqual(score);
    expect(counts.references).toBe(referenceBeats.filter(inWindow).length);
    // The panels are there: titles of the signal, spike, neuron and membrane panels.
    for (const title of ['signal (mV)', 'delta modulator spikes', 'neuron spikes', 'membrane potentials', 'beats: detected']) expect(svg).toContain(title);
    // The marker times are the replay's beat times.
    const times = labels(svg, 'detection ').map((l) => Number(/ ([\d.]+) s$/.exec(l)?.[1]));
    expect(times).toEqual(replayBeats.filter(inWindow).map((s) => Number((s / FS).toFixed(4))));
  });

  it('marks false positives and missed beats when the reference disagrees', async () => {
    // A copy of the record whose .atr lacks one true beat (that detection becomes FP) and has a made-up one mid-RR (FN).
    const dir = tempDir();
    for (const ext of ['hea', 'dat']) copyFileSync(join(PROJECT_ROOT, `${RECORD}.${ext}`), join(dir, `edited.${ext}`));
    const windowRefs = referenceBeats.filter(inWindow);
    const dropped = windowRefs[2] as number;
    const madeUp = Math.round(((windowRefs[5] as number) + (windowRefs[6] as number)) / 2);
    const edited = [...referenceBeats.filter((s) => s !== dropped), madeUp].sort((a, b) => a - b);
    writeFileSync(join(dir, 'edited.atr'), encodeMitAnnotations(edited.map((sample) => ({ sample, code: 1 }))));
    // edited.hea still names ecgsyn_360hz.dat as its signal file: give it that name too.
    copyFileSync(join(PROJECT_ROOT, `${RECORD}.dat`), join(dir, 'ecgsyn_360hz.dat'));
    const out = join(dir, 'edited.svg');
    ok(await runCli(['plot', join(dir, 'edited'), '--from', String(FROM), '--to', String(TO), '--out', out]));
    const counts = markerCounts(readFileSync(out, 'utf8'));
    const score = windowScore(replayBeats, edited);
    expect(score.fp).toBeGreaterThanOrEqual(1);
    expect(score.fn).toBeGreaterThanOrEqual(1);
    expect({ tp: counts.tp, fp: counts.fp, fn: counts.fn }).toEqual(score);
  });

  it('writes a self-contained HTML page by default, named after the record', async () => {
    // The default --out is <record name>.html in the current directory (the project root here).
    const out = join(PROJECT_ROOT, 'ecgsyn_360hz.html');
    let html: string;
    try {
      ok(await runCli(['plot', `${RECORD}.csv`, '--from', '0', '--to', '5']));
      html = readFileSync(out, 'utf8');
    } finally {
      rmSync(out, { force: true });
    }
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('new vega.View(vega.parse(spec)');
    expect(html).not.toMatch(/<script[^>]+src=/); // nothing fetched: works offline
    expect(html).toContain('University of Washington Interactive Data Lab'); // Vega's licence travels with its copy
    expect(html).toContain('"name":"zoom_t"'); // the time axis zooms and pans (bound to the shared x scale)
    // A CSV has no reference annotations: plain detection markers, one per beat replay finds in 0-5 s.
    const described = [...html.matchAll(/"description":"(detection [^"]*)"/g)].map((m) => m[1] as string);
    expect(described.length).toBe(replayBeats.filter((s) => s < 5 * FS).length);
    expect(described.every((d) => /^detection [\d.]+ s$/.test(d))).toBe(true);
  });
});

describe('plot a WAV file', () => {
  it('marks the words replay --task digits reports, with their labels', async () => {
    const replay = await runCli(['replay', STREAM, '--task', 'digits', '--speed', 'max', '--format', 'jsonl']);
    expect(replay.code).toBe(0);
    const words = linesOf(replay.stdout)
      .map((l) => JSON.parse(l) as { type: string })
      .filter((e): e is DetectionEvent => e.type === 'detection');
    expect(words.length).toBe(3);
    const out = join(tempDir(), 'words.svg');
    ok(await runCli(['plot', STREAM, '--out', out]));
    const svg = readFileSync(out, 'utf8');
    const marked = labels(svg, 'word ');
    expect(marked.map((l) => l.split(' ')[1])).toEqual(words.map((w) => w.label));
    expect(marked.map((l) => / ([\d.]+)-/.exec(l)?.[1])).toEqual(words.map((w) => String(Number(w.t.toFixed(3)))));
    for (const title of ['waveform', 'cochlea spikes per channel', 'hidden-neuron spikes (128 neurons)', 'readout membranes', 'word detections']) expect(svg).toContain(title);
  });
});

describe('plot usage and input errors', () => {
  const cases: [string, number, string[], RegExp][] = [
    ['a --from that is not a number', 2, [RECORD, '--from', 'abc'], /--from must be a number of seconds/],
    ['--to not after --from', 2, [RECORD, '--from', '5', '--to', '5'], /--to must be after --from/],
    ['an unknown --format', 2, [RECORD, '--format', 'pdf'], /--format must be one of svg, html/],
    ['an --out extension that names no format', 2, [RECORD, '--out', 'x.png'], /cannot tell the format/],
    ['no record', 2, [], /plot takes one record/],
    ['a missing file', 1, ['fixtures/no-such-record'], /no-such-record/],
    ['a window past the end', 1, [RECORD, '--from', '400'], /past the end of ecgsyn_360hz/],
  ];
  it.each(cases)('%s: one line, exit %i', async (_name, code, args, message) => {
    const result = await runCli(['plot', ...args, ...(args.includes('--out') ? [] : ['--out', join(tempDir(), 'never.svg')])]);
    expect(result.code).toBe(code);
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect(linesOf(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(/^edgespike: /);
    expect(result.stderr).toMatch(message);
  });
});

describe('eval --plots', () => {
  it('writes one SVG per window of errors, each showing its FP or FN as eval counts them', async () => {
    // The fixture with an edited .atr: one true beat left out (an FP at ~40 s) and one made-up beat (an FN at ~200 s).
    const dir = tempDir();
    for (const ext of ['hea', 'dat']) copyFileSync(join(PROJECT_ROOT, `${RECORD}.${ext}`), join(dir, `errs.${ext}`));
    copyFileSync(join(PROJECT_ROOT, `${RECORD}.dat`), join(dir, 'ecgsyn_360hz.dat'));
    const dropped = referenceBeats.find((s) => s > 40 * FS) as number;
    const after = referenceBeats.findIndex((s) => s > 200 * FS);
    const madeUp = Math.round(((referenceBeats[after] as number) + (referenceBeats[after + 1] as number)) / 2);
    const edited = [...referenceBeats.filter((s) => s !== dropped), madeUp].sort((a, b) => a - b);
    writeFileSync(join(dir, 'errs.atr'), encodeMitAnnotations(edited.map((sample) => ({ sample, code: 1 }))));
    const plots = join(dir, 'plots');
    const result = await runCli(['eval', join(dir, 'errs'), '--json', '--plots', plots]);
    expect(result.code).toBe(0);
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect(result.stderr).toContain(`wrote 2 error plots to ${plots}`);
    const report = JSON.parse(result.stdout) as { records: { fp: number; fn: number }[] };
    expect(report.records[0]).toMatchObject({ fp: 1, fn: 1 });
    const files = readdirSync(plots).sort();
    // The FP is the detection of the beat left out (within the matching window of it); the FN is the made-up reference beat.
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(new RegExp(`^ecgsyn_360hz_${String(Math.floor(dropped / FS)).padStart(4, '0')}\\.\\d\\ds_FP\\.svg$`));
    expect(files[1]).toBe(`ecgsyn_360hz_${(madeUp / FS).toFixed(2).padStart(7, '0')}s_FN.svg`);
    const fp = labels(readFileSync(join(plots, files[0] as string), 'utf8'), 'detection FP ');
    const fn = labels(readFileSync(join(plots, files[1] as string), 'utf8'), 'reference FN ');
    expect(fp).toHaveLength(1);
    expect(Math.abs(Number(/ ([\d.]+) s$/.exec(fp[0] as string)?.[1]) - dropped / FS)).toBeLessThanOrEqual(0.15);
    expect(fn).toEqual([`reference FN ${Number((madeUp / FS).toFixed(4))} s`]);
  });

  it('--plots-max without --plots is a usage error', async () => {
    const result = await runCli(['eval', RECORD, '--plots-max', '3']);
    expect(result.code).toBe(2);
    expect(linesOf(result.stderr)).toEqual(['edgespike: --plots-max needs --plots DIR']);
  });
});
