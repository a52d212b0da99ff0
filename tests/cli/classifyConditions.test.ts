/**
 * `edgespike classify --gain-db/--noise/--snr/--seed`, run as a real process on the espeak-ng
 * digit fixtures: one row per condition; the 0 dB row is plain classify's accuracy; a line
 * under a condition equals the kernels run by hand (readAudio → gain or noise → classifyClip);
 * noise is repeatable with a seed and moves with another; bad values are one-line usage errors.
 * The noise is a WAV the test writes (16 kHz, so the resampling path runs); the shared Speech
 * Commands noises are used too when ../shared/datasets/noise is present.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifications, parseEvents, summaryOf } from '../helpers/audioEvents.ts';
import type { ClassificationEvent, ClassifyEvent, ClassifySummaryEvent } from '../../src/core/events.ts';
import { activeSpeechPower, applyGainDb, mixAtSnr, noiseOffsetFor } from '../../src/condition/audioConditions.ts';
import { encodeWav } from '../../src/formats/wav.ts';
import { classifyClip, createAudioClassifier } from '../../src/pipeline/audioClassify.ts';
import { readAudio } from '../../src/pipeline/audioDataset.ts';
import { loadAudioModel } from '../../src/pipeline/audioModel.ts';
import { loadNoiseClips } from '../../src/pipeline/audioStress.ts';
import { createRng, nextNormal } from '../../src/synth/random.ts';
import { failureLine, linesOf, runCli, type CliResult } from '../helpers/cli.ts';
import { datasetPath, haveDataset, PROJECT_ROOT } from '../helpers/datasets.ts';
import { useTempDir } from '../helpers/records.ts';

const FIXTURES = 'fixtures/audio-digits';
const model = loadAudioModel();
const classifier = createAudioClassifier(model);
const tempDir = useTempDir('edgespike-classify-conditions-');
/** Two noises the test writes: Gaussian at 16 kHz (resampled on reading), two levels and lengths. */
let noiseA: string;
let noiseB: string;

beforeAll(() => {
  const write = (name: string, seconds: number, sd: number, seed: number): string => {
    const rng = createRng(seed);
    const samples = Int16Array.from({ length: Math.round(16000 * seconds) }, () => Math.max(-32768, Math.min(32767, Math.round(sd * nextNormal(rng)))));
    const path = join(tempDir(), name);
    writeFileSync(path, encodeWav(samples, { sampleRateHz: 16000 }));
    return path;
  };
  noiseA = write('hiss.wav', 3, 1000, 1);
  noiseB = write('rumble.wav', 2.2, 5000, 2);
});




/** A run's lines without the wall-clock figures (which differ from run to run). */
function withoutTimes(stdout: string): string {
  return stdout.replace(/"processingSeconds":[\d.]+/g, '"processingSeconds":0');
}

describe('classify --gain-db 0,-6', () => {
  let plain: ClassifySummaryEvent;
  let plainLines: ClassificationEvent[];
  let json: CliResult;
  let jsonl: ClassifyEvent[];
  beforeAll(async () => {
    const [p, j, l] = await Promise.all([
      runCli(['classify', FIXTURES, '--format', 'jsonl'], { timeoutMs: 60_000 }),
      runCli(['classify', FIXTURES, '--gain-db', '0,-6', '--json'], { timeoutMs: 60_000 }),
      runCli(['classify', FIXTURES, '--gain-db', '0,-6', '--format', 'jsonl'], { timeoutMs: 60_000 }),
    ]);
    const plainEvents = parseEvents(p.stdout);
    plain = summaryOf(plainEvents);
    plainLines = classifications(plainEvents);
    json = j;
    jsonl = parseEvents(l.stdout);
  });

  it('--json: one JSON document, two condition rows; the 0 dB row is plain classify, the top level its figures', () => {
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    const s = JSON.parse(json.stdout) as ClassifySummaryEvent;
    expect(s.type).toBe('summary');
    expect(s.conditions).toHaveLength(2);
    const [zero, minus6] = s.conditions ?? [];
    expect(zero).toEqual({ gainDb: 0, snrDb: null, noise: null, correct: plain.correct, total: plain.labelled, accuracy: plain.accuracy });
    expect(minus6).toMatchObject({ gainDb: -6, snrDb: null, noise: null, total: 30 });
    expect(minus6?.accuracy).toBe((minus6?.correct ?? NaN) / 30);
    expect(s).toMatchObject({ files: 31, classified: 31, correct: plain.correct, accuracy: plain.accuracy, totals: plain.totals, perLabel: plain.perLabel });
    expect(s.seed).toBeUndefined(); // no noise
  });

  it('jsonl: each file under each condition, in order; 0 dB lines are the plain lines plus their condition', () => {
    const lines = classifications(jsonl);
    expect(lines).toHaveLength(62);
    for (const [i, plainLine] of plainLines.entries()) {
      const [zero, minus6] = [lines[2 * i], lines[2 * i + 1]];
      expect(zero).toEqual({ ...plainLine, condition: { gainDb: 0 } });
      expect(minus6?.file).toBe(plainLine.file);
      expect(minus6?.condition).toEqual({ gainDb: -6 });
    }
    expect(summaryOf(jsonl).conditions?.map((c) => c.gainDb)).toEqual([0, -6]);
  });

  it('a -6 dB line equals the kernels by hand: readAudio → applyGainDb(-6) → classifyClip', async () => {
    for (const line of classifications(jsonl).filter((e) => e.condition?.gainDb === -6).slice(0, 4)) {
      const samples = applyGainDb(await readAudio(join(PROJECT_ROOT, line.file), 8000), -6);
      const r = classifyClip(classifier, samples);
      expect(line.label, line.file).toBe(r.label);
      expect(line.scores, line.file).toEqual(r.scores);
      expect(line.inputSpikes, line.file).toBe(r.inputSpikes);
    }
  });

  it('text: a row per condition (gain dB, noise, SNR dB, correct/total, accuracy %), no per-file rows', async () => {
    const r = await runCli(['classify', FIXTURES, '--gain-db', '0,-6', '--format', 'text'], { timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    const out = linesOf(r.stdout);
    expect(out.some((l) => l.endsWith('.wav'))).toBe(false);
    const at = out.indexOf('accuracy per condition:');
    expect(out[at + 1]).toMatch(/^ +gain dB +noise +SNR dB +correct\/total +accuracy %$/);
    expect(out[at + 2]).toMatch(new RegExp(`^ +0 +- +- +${plain.correct}/30 +${(100 * (plain.accuracy ?? 0)).toFixed(2)}$`));
    expect(out[at + 3]).toMatch(/^ +-6 +- +- +\d+\/30 +[\d.]+$/);
    expect(r.stdout).toContain('(the first condition: gain 0 dB)');
  });
});

describe.concurrent('classify --noise --snr --seed', () => {
  it('repeatable with the same seed (identical jsonl), different with another; lines carry noise, SNR and offset', async () => {
    const args = ['classify', FIXTURES, '--noise', `${noiseA},${noiseB}`, '--snr', '10,0', '--gain-db', '-3', '--format', 'jsonl'];
    const [a, b, c] = await Promise.all([runCli(args, { timeoutMs: 60_000 }), runCli([...args, '--seed', '1'], { timeoutMs: 60_000 }), runCli([...args, '--seed', '2'], { timeoutMs: 60_000 })]);
    for (const r of [a, b, c]) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    expect(withoutTimes(a.stdout)).toBe(withoutTimes(b.stdout)); // --seed 1 is the default
    expect(withoutTimes(c.stdout)).not.toBe(withoutTimes(a.stdout));
    const lines = classifications(parseEvents(a.stdout));
    expect(lines).toHaveLength(62);
    const [hiss, rumble] = await loadNoiseClips([noiseA, noiseB], 8000);
    lines.forEach((line, k) => {
      const i = Math.floor(k / 2); // file index: two conditions per file
      const noise = i % 2 === 0 ? hiss : rumble;
      expect(line.condition).toEqual({ gainDb: -3, snrDb: k % 2 === 0 ? 10 : 0, noise: i % 2 === 0 ? 'hiss' : 'rumble', noiseOffset: noiseOffsetFor(1, i, noise?.samples.length ?? 0) });
    });
    const s = summaryOf(parseEvents(a.stdout));
    expect(s.seed).toBe(1);
    expect(s.conditions?.map((row) => [row.gainDb, row.snrDb, row.noise, row.total])).toEqual([
      [-3, 10, 'hiss,rumble', 30],
      [-3, 0, 'hiss,rumble', 30],
    ]);
    expect(summaryOf(parseEvents(c.stdout)).seed).toBe(2);
  });

  it('a line under noise equals the kernels by hand: readAudio → mixAtSnr(active level, offset) → classifyClip', async () => {
    const file = `${FIXTURES}/5_engb_0.wav`;
    const r = await runCli(['classify', file, '--noise', noiseB, '--snr', '5', '--seed', '9', '--format', 'jsonl']);
    expect(r.code).toBe(0);
    const [line] = classifications(parseEvents(r.stdout));
    const [noise] = await loadNoiseClips([noiseB], 8000);
    const speech = await readAudio(join(PROJECT_ROOT, file), 8000);
    const offset = noiseOffsetFor(9, 0, noise?.samples.length ?? 0);
    const byHand = classifyClip(classifier, mixAtSnr(speech, noise?.samples ?? new Int32Array(1), 5, offset, activeSpeechPower(speech, 8000)));
    expect(line?.condition).toEqual({ gainDb: 0, snrDb: 5, noise: 'rumble', noiseOffset: offset });
    expect(line?.scores).toEqual(byHand.scores);
    expect(line?.label).toBe(byHand.label);
  });

  it('--noise-part unheard: a line equals the kernels by hand on the last quarter of the noise', async () => {
    const file = `${FIXTURES}/5_engb_0.wav`;
    const r = await runCli(['classify', file, '--noise', noiseB, '--snr', '5', '--seed', '9', '--noise-part', 'unheard', '--format', 'jsonl']);
    expect(r.code).toBe(0);
    const [line] = classifications(parseEvents(r.stdout));
    const [whole] = await loadNoiseClips([noiseB], 8000);
    const length = whole?.samples.length ?? 0;
    const rest = whole?.samples.subarray(Math.floor(length * 0.75)) ?? new Int32Array(1);
    const speech = await readAudio(join(PROJECT_ROOT, file), 8000);
    const offset = noiseOffsetFor(9, 0, rest.length);
    const byHand = classifyClip(classifier, mixAtSnr(speech, rest, 5, offset, activeSpeechPower(speech, 8000)));
    expect(line?.condition).toEqual({ gainDb: 0, snrDb: 5, noise: 'rumble (unheard part)', noiseOffset: offset });
    expect(line?.scores).toEqual(byHand.scores);
  });

  it.skipIf(!haveDataset('classify --noise with the Speech Commands noises (CLI)', ['noise/white_noise.wav']))(
    '--noise ../shared/datasets/noise/white_noise.wav --snr 20: the same seed gives identical jsonl, another seed different',
    async () => {
      const args = ['classify', FIXTURES, '--noise', datasetPath('noise', 'white_noise.wav'), '--snr', '20', '--format', 'jsonl'];
      const [a, b, c] = await Promise.all([runCli(args, { timeoutMs: 60_000 }), runCli(args, { timeoutMs: 60_000 }), runCli([...args, '--seed', '7'], { timeoutMs: 60_000 })]);
      expect(a.code).toBe(0);
      expect(withoutTimes(a.stdout)).toBe(withoutTimes(b.stdout));
      expect(withoutTimes(c.stdout)).not.toBe(withoutTimes(a.stdout));
      const s = summaryOf(parseEvents(a.stdout));
      expect(s.conditions).toHaveLength(1);
      expect(s.conditions?.[0]).toMatchObject({ gainDb: 0, snrDb: 20, noise: 'white_noise', total: 30 });
      console.log(`[measured] classify ${FIXTURES} in white noise at 20 dB SNR: ${s.conditions?.[0]?.correct}/30 (plain: see classify.test.ts)`);
    },
  );
});


describe.concurrent('classify condition options: one-line errors', () => {
  it.each([
    [['--snr', '10'], '--snr needs --noise FILE'],
    [['--seed', '3'], '--seed picks where the noise starts; it needs --noise FILE'],
    [['--gain-db', 'loud'], '--gain-db must be a comma-separated list of numbers in dB (got "loud")'],
    [['--gain-db', '0,,-6'], '--gain-db must be a comma-separated list of numbers in dB (got "0,,-6")'],
    [['--gain-db', '41'], '--gain-db must be at most +40 dB (got 41)'],
    [['--noise', 'x.wav'], '--noise needs --snr DB[,DB...]'],
    [['--noise', 'x.wav', '--snr', 'high'], '--snr must be a comma-separated list of numbers in dB (got "high")'],
    [['--noise', 'x.wav', '--snr', '10', '--seed=-1'], '--seed must be a whole number >= 0 (got "-1")'],
    [['--noise', 'x.wav', '--snr', '10', '--seed', '-1'], "Option '--seed' argument is ambiguous"], // as for every flag but --gain-db and --snr
    [['--json', '--format', 'jsonl'], '--json prints the summary as one JSON document; leave out --format'],
    [['--noise-part', 'unheard'], '--noise-part picks which part of the noise recordings is mixed in; it needs --noise FILE'],
    [['--noise', 'x.wav', '--snr', '10', '--noise-part', 'test'], '--noise-part must be all or unheard (got "test")'],
  ])('usage error %j: one line, exit 2', async (args, message) => {
    expect(failureLine(await runCli(['classify', FIXTURES, ...args]), 2)).toContain(message);
  });

  it('a missing noise file: one line naming --noise and the file, exit 1', async () => {
    const missing = join(tempDir(), 'nope.wav');
    expect(failureLine(await runCli(['classify', FIXTURES, '--noise', missing, '--snr', '10']), 1)).toBe(`edgespike: --noise ${missing}: file not found`);
  });

  it('negative values after a space are values, not flags: --gain-db -6 --snr -5', async () => {
    const r = await runCli(['classify', `${FIXTURES}/1_enus_0.wav`, '--gain-db', '-6', '--noise', noiseA, '--snr', '-5', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as ClassifySummaryEvent).conditions?.[0]).toMatchObject({ gainDb: -6, snrDb: -5, noise: 'hiss' });
  });

  it('--help names the options, their units and the SNR definition', async () => {
    const r = await runCli(['classify', '--help']);
    for (const text of ['--gain-db G[,G...]', '--noise FILE[,FILE...]', '--snr DB[,DB...]', '--seed N', '--json', '10^(G/20)', 'active speech level', "whole noise\n                       recording's mean square", 'saturation to int16']) {
      expect(r.stdout).toContain(text);
    }
  });
});
