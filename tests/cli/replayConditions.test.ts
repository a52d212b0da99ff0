/**
 * `edgespike replay --task digits --gain-db/--noise/--snr/--seed`, run as a real process on the
 * stream fixture (digits 3, 1, 4): the stream under one condition, applied chunk-wise before
 * the cochlea; chunk sizes do not change the detections; the summary says the condition; the
 * options are refused where they do not apply (ECG, device recordings, lists, `run`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { audioSummaryOf, detectionsOf, parseAudioLines } from '../helpers/audioEvents.ts';
import { noiseOffsetFor } from '../../src/condition/audioConditions.ts';
import { encodeWav } from '../../src/formats/wav.ts';
import { loadNoiseClips } from '../../src/pipeline/audioStress.ts';
import { createRng, nextNormal } from '../../src/synth/random.ts';
import { expectOneLineError, linesOf, runCli } from '../helpers/cli.ts';
import { PROJECT_ROOT } from '../helpers/datasets.ts';
import { useTempDir } from '../helpers/records.ts';

const FIXTURES = 'fixtures/audio-digits';
const STREAM = `${FIXTURES}/stream-3-1-4.wav`;
const truth = JSON.parse(readFileSync(join(PROJECT_ROOT, FIXTURES, 'stream-3-1-4.json'), 'utf8')) as {
  readonly digits: readonly { readonly label: string; readonly startSeconds: number; readonly endSeconds: number }[];
};
const tempDir = useTempDir('edgespike-replay-conditions-');
let noise: string;

beforeAll(() => {
  const rng = createRng(3);
  const samples = Int16Array.from({ length: 16000 * 2 }, () => Math.round(800 * nextNormal(rng)));
  noise = join(tempDir(), 'hiss.wav');
  writeFileSync(noise, encodeWav(samples, { sampleRateHz: 16000 }));
});





const REPLAY = ['replay', STREAM, '--task', 'digits', '--format', 'jsonl', '--speed', 'max'];

describe.concurrent('replay stream-3-1-4.wav --task digits under a condition', () => {
  it('--gain-db -6 still detects the 3 words, each overlapping its true digit; the summary says the gain', async () => {
    const r = await runCli([...REPLAY, '--gain-db', '-6']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = parseAudioLines(r.stdout);
    const found = detectionsOf(lines);
    expect(found).toHaveLength(3);
    found.forEach((d, i) => {
      const want = truth.digits[i];
      expect(d.t).toBeLessThan(want?.endSeconds ?? 0);
      expect(d.end).toBeGreaterThan(want?.startSeconds ?? Infinity);
    });
    console.log(`[measured] replay stream-3-1-4 at -6 dB: ${found.map((d) => d.label).join(',')} (truth ${truth.digits.map((d) => d.label).join(',')})`);
    expect(audioSummaryOf(lines).condition).toEqual({ gainDb: -6 });
  });

  it('noise at 15 dB SNR: the same detections for chunks of 37 and 4096 samples and a rerun; the summary says noise, seed and offset', async () => {
    const args = [...REPLAY, '--noise', noise, '--snr', '15', '--seed', '4'];
    const [a, b, c] = await Promise.all([runCli(args), runCli([...args, '--chunk', '37']), runCli([...args, '--chunk', '4096'])]);
    for (const r of [a, b, c]) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    const found = detectionsOf(parseAudioLines(a.stdout));
    expect(detectionsOf(parseAudioLines(b.stdout))).toEqual(found);
    expect(detectionsOf(parseAudioLines(c.stdout))).toEqual(found);
    const [clip] = await loadNoiseClips([join(tempDir(), 'hiss.wav')], 8000);
    expect(audioSummaryOf(parseAudioLines(a.stdout)).condition).toEqual({
      gainDb: 0,
      snrDb: 15,
      noise: 'hiss',
      seed: 4,
      noiseOffset: noiseOffsetFor(4, 0, clip?.samples.length ?? 0),
    });
    expect(audioSummaryOf(parseAudioLines(a.stdout)).spikesIn).toBeGreaterThan(0);
  });

  it('the text header names the condition', async () => {
    const r = await runCli(['replay', STREAM, '--task', 'digits', '--format', 'text', '--speed', 'max', '--gain-db', '-20', '--noise', noise, '--snr', '20']);
    expect(r.code).toBe(0);
    expect(linesOf(r.stdout)[0]).toBe('edgespike replay stream-3-1-4.wav (8000 Hz, 0:04; digits; gain -20 dB, hiss at 20 dB SNR)');
  });

  it('a folder: every file under the condition; the summary says it, without an offset (each file has its own)', async () => {
    const r = await runCli(['replay', FIXTURES, '--task', 'digits', '--format', 'jsonl', '--speed', 'max', '--gain-db', '-6', '--noise', noise, '--snr', '20'], { timeoutMs: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = audioSummaryOf(parseAudioLines(r.stdout));
    expect(s.files).toBe(31);
    expect(s.condition).toEqual({ gainDb: -6, snrDb: 20, noise: 'hiss', seed: 1 });
  });
});


describe.concurrent('replay condition options: refused where they do not apply', () => {
  it.each([
    [[...REPLAY, '--gain-db', '0,-6'], /--gain-db takes one value here \(got "0,-6"\): a stream is one condition/],
    [[...REPLAY, '--noise', 'a.wav,b.wav', '--snr', '10'], /--noise takes one file here/],
    [[...REPLAY, '--snr', '10'], /--snr needs --noise FILE/],
    [[...REPLAY, '--noise', 'a.wav'], /--noise needs --snr DB \(e\.g\. --snr 10\)/],
    [[...REPLAY, '--gain-db', '60'], /--gain-db must be at most \+40 dB/],
    [['replay', 'fixtures/synthetic-ecg/ecgsyn_360hz', '--gain-db', '-6'], /--gain-db, --noise, --snr and --seed are for audio \(--task digits\)/],
    [['run', '--device', '/dev/null', '--profile', 'edgespike-pcm16', '--gain-db', '-6'], /Unknown option '--gain-db'/],
  ])('%j: one line, exit 2', async (args, pattern) => {
    expectOneLineError(await runCli(args), 2, pattern);
  });

  it('a device recording replays as the device delivered it: exit 1, one line', async () => {
    expectOneLineError(
      await runCli(['replay', 'fixtures/devices/pcm16-tone.bin', '--task', 'digits', '--speed', 'max', '--gain-db', '-6']),
      1,
      /a device recording replays as the device delivered it; --gain-db, --noise, --snr and --seed apply to WAV files/,
    );
  });

  it('--help lists the options with their units', async () => {
    const r = await runCli(['replay', '--help']);
    for (const text of ['--gain-db G', '--noise FILE', '--snr DB', '--seed N', '10^(G/20)', 'active speech level']) expect(r.stdout).toContain(text);
  });
});
