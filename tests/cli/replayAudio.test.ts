/**
 * `edgespike replay --task digits`, run as a real process: on the espeak-ng stream fixture
 * (digits 3, 1, 4 at times its sidecar gives) and on the fixture folder replayed as one session,
 * plus the audio task's usage errors. Nothing here hard-codes what the bundled model answers:
 * detections are checked against the fixture's true times, and their labels against what the
 * same model gives each source clip alone (whole-clip classification, src/pipeline/audioClassify.ts,
 * which `classify` prints); agreement with the true digits is measured and printed.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { audioSummaryOf, detectionsOf, parseAudioLines, type AudioLine } from '../helpers/audioEvents.ts';
import { activeSpeechPower } from '../../src/condition/audioConditions.ts';
import type { DetectionEvent } from '../../src/core/events.ts';
import { encodeWav } from '../../src/formats/wav.ts';
import { classifyWavFile, createAudioClassifier } from '../../src/pipeline/audioClassify.ts';
import { listFilesWithLabels, readAudio } from '../../src/pipeline/audioDataset.ts';
import { loadAudioModel } from '../../src/pipeline/audioModel.ts';
import { bundledWordGate } from '../../src/pipeline/wordGate.ts';
import { createRng, nextNormal } from '../../src/synth/random.ts';
import { hasStackTrace, linesOf, runCli, type CliResult, expectOneLineError, failureLine } from '../helpers/cli.ts';
import { PROJECT_ROOT } from '../helpers/datasets.ts';
import { useTempDir } from '../helpers/records.ts';

const FIXTURES = 'fixtures/audio-digits';
const STREAM = `${FIXTURES}/stream-3-1-4.wav`;
/** Onset tolerance, s: a detection starts where the front end hears the sound (the clips hold 30 ms of silence before it). */
const ONSET_TOLERANCE_SECONDS = 0.15;

interface TrueDigit {
  readonly label: string;
  readonly startSeconds: number;
  readonly endSeconds: number;
  readonly source: string;
}
const truth = JSON.parse(readFileSync(join(PROJECT_ROOT, FIXTURES, 'stream-3-1-4.json'), 'utf8')) as {
  readonly durationSeconds: number;
  readonly digits: readonly TrueDigit[];
};

const model = loadAudioModel();
const classifier = createAudioClassifier(model);
const tempDir = useTempDir('edgespike-replay-audio-');





/** The label `classify` gives a file alone (its library call). */
async function isolatedLabel(path: string): Promise<string> {
  return (await classifyWavFile(classifier, join(PROJECT_ROOT, path))).label;
}


describe('replay stream-3-1-4.wav --task digits --format jsonl --speed max', () => {
  let result: CliResult;
  let lines: AudioLine[];
  let alone: string[];
  beforeAll(async () => {
    result = await runCli(['replay', STREAM, '--task', 'digits', '--format', 'jsonl', '--speed', 'max']);
    lines = parseAudioLines(result.stdout);
    alone = await Promise.all(truth.digits.map((d) => isolatedLabel(`${FIXTURES}/${d.source}`)));
  });

  it('exits 0 with nothing on stderr: 3 detections, then the summary', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(lines.map((e) => e.type)).toEqual(['detection', 'detection', 'detection', 'summary']);
    // The keys the issue asks for, first and in its order; no "file" for a single file.
    for (const line of linesOf(result.stdout).slice(0, 3)) expect(line).toMatch(/^\{"type":"detection","t":[\d.]+,"end":[\d.]+,"label":"\d","score":[\d.]+,"scores":\{/);
  });

  it('each detection overlaps its true digit, in order, and starts within 150 ms of it', () => {
    const found = detectionsOf(lines);
    expect(found).toHaveLength(truth.digits.length);
    found.forEach((d, i) => {
      const want = truth.digits[i] as TrueDigit;
      expect(d.t, `digit ${i}`).toBeLessThan(want.endSeconds);
      expect(d.end, `digit ${i}`).toBeGreaterThan(want.startSeconds);
      expect(Math.abs(d.t - want.startSeconds), `digit ${i}: t ${d.t} vs true ${want.startSeconds}`).toBeLessThanOrEqual(ONSET_TOLERANCE_SECONDS);
      expect(d.end).toBeGreaterThan(d.t);
      expect(d.score).toBeGreaterThan(0);
      expect(d.score).toBeLessThanOrEqual(1);
      expect(d.scores[d.label]).toBe(d.score);
      expect(Object.keys(d.scores)).toEqual([...model.classes]);
    });
  });

  it("each detection's label is, for at least 2 of the 3, the label classify gives its source clip alone; agreement with the truth is printed", () => {
    // With the AGC a word after digital silence starts the AGC afresh, a clip alone is primed
    // with its own background: the same word heard two ways. Measured: "3", "1" as alone, the
    // "4" (a "4" alone) a "5" in the stream.
    const labels = detectionsOf(lines).map((d) => d.label);
    expect(labels.filter((label, i) => label === alone[i]).length).toBeGreaterThanOrEqual(2);
    const want = truth.digits.map((d) => d.label);
    const right = alone.filter((label, i) => label === want[i]).length;
    console.log(
      `[measured] stream-3-1-4: detected ${labels.join(',')}, the clips alone ${alone.join(',')}, truth ${want.join(',')}: ` +
        `${right}/${want.length} right`,
    );
  });

  it('the bundled model hears the right digits, 3, 1, 4, in the stream as a microphone at arm\'s length delivers it', async () => {
    // The fixture at an active speech level of −55 dBFS over an INMP441's self-noise at −87 dBFS
    // (see tests/cli/runAudio.test.ts), as a WAV file. The synthetic words on digital silence
    // themselves are out of what the model learned (the "4" reads "5"; printed above).
    const clean = await readAudio(join(PROJECT_ROOT, STREAM), 8000);
    const gain = (32767 * 10 ** (-55 / 20)) / Math.sqrt(activeSpeechPower(clean, 8000));
    const rng = createRng(55);
    const noiseRms = 32767 * 10 ** (-87 / 20);
    const wav = join(tempDir(), 'stream-3-1-4-arms-length.wav');
    writeFileSync(wav, encodeWav(Int32Array.from(clean, (v) => Math.max(-32768, Math.min(32767, Math.round(v * gain + noiseRms * nextNormal(rng))))), { sampleRateHz: 8000 }));
    const r = await runCli(['replay', wav, '--task', 'digits', '--format', 'jsonl', '--speed', 'max']);
    expect(r.code, r.stderr).toBe(0);
    const found = detectionsOf(parseAudioLines(r.stdout));
    expect(found.map((d) => d.label)).toEqual(truth.digits.map((d) => d.label));
    found.forEach((d, i) => {
      const want = truth.digits[i] as TrueDigit;
      expect(Math.abs(d.t - want.startSeconds), `digit ${i}`).toBeLessThanOrEqual(ONSET_TOLERANCE_SECONDS);
    });
  });

  it('the summary: 3 detections, the whole file, positive costs, the dense network costs more', () => {
    const s = audioSummaryOf(lines);
    expect(s).toMatchObject({ type: 'summary', record: 'stream-3-1-4', task: 'digits', model: model.network.name, detections: 3 });
    expect(s.audioSeconds).toBeCloseTo(truth.durationSeconds, 2);
    expect(s.files).toBeUndefined();
    expect(s.networkSeconds).toBeGreaterThan(0);
    expect(s.networkSeconds).toBeLessThan(s.audioSeconds); // it sleeps between words
    const c = s.cost;
    for (const v of [c.inputSpikes, c.hiddenSpikes, c.synapticOps, c.neuronUpdates, c.networkTicks, c.weights]) expect(v).toBeGreaterThan(0);
    for (const v of Object.values(c.perSecond)) expect(v).toBeGreaterThan(0);
    for (const v of Object.values(c.perDetection)) expect(v).toBeGreaterThan(0);
    // The dense equivalent runs every weight a word goes through: the model's and the word gate's.
    expect(c.weights).toBe(model.network.synapses.length + bundledWordGate().model.network.synapses.length);
    expect(c.energy.snnNanojoulePerDetection).toBeGreaterThan(0);
    expect(c.energy.denseNanojoulePerDetection).toBeGreaterThan(0);
    expect(c.energy.ratio).toBeGreaterThan(1);
  });

  it('--format text lists the three words with their times, then the summary', async () => {
    const text = await runCli(['replay', STREAM, '--task', 'digits', '--format', 'text', '--speed', 'max']);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    const out = linesOf(text.stdout);
    expect(out[0]).toMatch(/^edgespike replay stream-3-1-4\.wav \(8000 Hz/);
    const words = out.filter((l) => /^ {2}\[\d+:\d\d\] "/.test(l));
    const found = detectionsOf(lines);
    expect(words).toHaveLength(found.length);
    words.forEach((line, i) => {
      const d = found[i] as DetectionEvent;
      expect(line).toContain(`"${d.label}"`);
      expect(line).toContain(`${d.t.toFixed(3)}-${d.end.toFixed(3)} s`);
    });
    expect(out).toContain('done:');
    expect(out).toContain('  words              3');
    expect(text.stdout).toMatch(/a dense network [\d.]+x more/);
  });
});

describe('replay <folder> --task digits: every .wav file, one session', () => {
  let result: CliResult;
  let lines: AudioLine[];
  let single: DetectionEvent[];
  beforeAll(async () => {
    result = await runCli(['replay', FIXTURES, '--task', 'digits', '--format', 'jsonl', '--speed', 'max'], { timeoutMs: 60_000 });
    lines = parseAudioLines(result.stdout);
    single = detectionsOf(parseAudioLines((await runCli(['replay', STREAM, '--task', 'digits', '--format', 'jsonl', '--speed', 'max'])).stdout));
  });

  it('exits 0 with nothing on stderr; every detection names its file, files in the order classify lists them', async () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const files = (await listFilesWithLabels(FIXTURES)).map((f) => f.path);
    expect(files).toHaveLength(31);
    const found = detectionsOf(lines);
    let previous = -1;
    for (const d of found) {
      const at = files.indexOf(d.file as string);
      expect(at, d.file).toBeGreaterThanOrEqual(previous);
      previous = at;
    }
    for (const line of linesOf(result.stdout).slice(0, found.length)) expect(line).toMatch(/^\{"type":"detection","file":"fixtures\/audio-digits\/[^"]+\.wav","t":/);
  });

  it('each clip gives exactly one detection; at least two thirds labelled as classify labels the clip (printed)', async () => {
    // A clip classified alone is primed with its own background (the quietest part of the whole
    // clip); replayed, a file starts the AGC cold and its background is what it has heard so
    // far, and these synthetic words start 30 ms after digital silence: the same word heard two
    // ways, and for words this unlike real recordings (the model learned speech 0-45 dB above
    // real noise) that tips several: measured 23 of 30 alike (FSDD in a stream: 242 of 250).
    const clips = (await listFilesWithLabels(FIXTURES)).filter((f) => f.label !== undefined);
    expect(clips).toHaveLength(30);
    const found = detectionsOf(lines);
    const exceptions: string[] = [];
    let right = 0;
    for (const clip of clips) {
      const mine = found.filter((d) => d.file === clip.path);
      const label = await isolatedLabel(clip.path);
      expect(mine, clip.path).toHaveLength(1);
      if (mine.length !== 1) exceptions.push(`${clip.path}: ${mine.length} detections (${mine.map((d) => `"${d.label}" ${d.t}-${d.end} s`).join(', ')})`);
      else if (mine[0]?.label !== label) exceptions.push(`${clip.path}: "${mine[0]?.label}" replayed, "${label}" classified alone`);
      else if (label === clip.label) right++;
      // Times count from the file's start.
      for (const d of mine) expect(d.end).toBeLessThanOrEqual(2);
    }
    console.log(
      `[measured] replay ${FIXTURES}: ${clips.length - exceptions.length}/${clips.length} clips one detection labelled as classify labels them; ` +
        `${right}/${clips.length} of those right (the bundled model's answer, not asserted)`,
    );
    for (const e of exceptions) console.log(`[measured]   ${e}`);
    expect(exceptions.length).toBeLessThanOrEqual(10);
  });

  it('the stream file gives the same detections as replayed alone (with its "file")', () => {
    const found = detectionsOf(lines).filter((d) => d.file === STREAM);
    expect(single).toHaveLength(3);
    expect(found).toEqual(single.map((d) => ({ ...d, file: STREAM })));
  });

  it('one summary covering every file: detections, files, all the audio', async () => {
    const s = audioSummaryOf(lines);
    const files = await listFilesWithLabels(FIXTURES);
    let samples = 0;
    for (const f of files) samples += (await readAudio(join(PROJECT_ROOT, f.path), model.frontEnd.sampleRateHz)).length;
    expect(s).toMatchObject({ type: 'summary', record: 'audio-digits', task: 'digits', files: 31, fileErrors: 0, detections: detectionsOf(lines).length });
    expect(s.audioSeconds).toBeCloseTo(samples / model.frontEnd.sampleRateHz, 2);
    expect(s.cost.energy.ratio).toBeGreaterThan(1);
  });

  it('--format text: a line naming each file before its words', async () => {
    const text = await runCli(['replay', FIXTURES, '--task', 'digits', '--format', 'text', '--speed', 'max'], { timeoutMs: 60_000 });
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    const out = linesOf(text.stdout);
    expect(out[0]).toBe(`edgespike replay ${FIXTURES} (31 WAV files; digits)`);
    const files = (await listFilesWithLabels(FIXTURES)).map((f) => f.path);
    expect(out.filter((l) => l.startsWith(`${FIXTURES}/`))).toEqual(files);
    const words = out.filter((l) => /^ {2}\[\d+:\d\d\] "/.test(l));
    expect(words).toHaveLength(detectionsOf(lines).length);
    expect(out).toContain('  files              31');
  });

  it('a file that cannot be read: one line naming it on stderr, the others replayed, exit 1', async () => {
    const dir = join(tempDir(), 'some-bad');
    mkdirSync(dir);
    copyFileSync(join(PROJECT_ROOT, FIXTURES, '3_enus_0.wav'), join(dir, 'a.wav'));
    writeFileSync(join(dir, 'b.wav'), readFileSync(join(PROJECT_ROOT, FIXTURES, '1_enus_0.wav')).subarray(0, 30));
    copyFileSync(join(PROJECT_ROOT, FIXTURES, '7_enus_0.wav'), join(dir, 'c.wav'));
    const r = await runCli(['replay', dir, '--task', 'digits', '--format', 'jsonl', '--speed', 'max']);
    expect(r.code).toBe(1);
    expect(linesOf(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^edgespike: ${join(dir, 'b.wav')}: .*truncated`));
    expect(hasStackTrace(r.stderr)).toBe(false);
    const out = parseAudioLines(r.stdout);
    expect(detectionsOf(out).map((d) => d.file)).toEqual([join(dir, 'a.wav'), join(dir, 'c.wav')]);
    expect(audioSummaryOf(out)).toMatchObject({ files: 2, fileErrors: 1, detections: 2 });
  });

  it('a folder without .wav files: one line, exit 1', async () => {
    const dir = join(tempDir(), 'no-wav');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'no audio here\n');
    const r = await runCli(['replay', dir, '--task', 'digits']);
    expect(failureLine(r, 1)).toMatch(/holds no \.wav files.*give a \.wav file or a folder of them/);
  });
});

describe('replay and run --task digits: usage errors are one line, no stack trace', () => {
  it('replay x.wav --task bogus: exit 2, names the known tasks', async () => {
    expect(failureLine(await runCli(['replay', 'x.wav', '--task', 'bogus']), 2)).toMatch(/--task must be one of ecg, digits \(got "bogus"\)/);
  });

  it('replay <ECG record> --task digits: exit 1, says audio is needed', async () => {
    const r = await runCli(['replay', 'fixtures/synthetic-ecg/ecgsyn_360hz', '--task', 'digits']);
    expect(failureLine(r, 1)).toMatch(/ecgsyn_360hz: not a \.wav file.*--task digits needs audio/);
  });

  it('replay <CSV file> --task digits: exit 1', async () => {
    const r = await runCli(['replay', 'fixtures/synthetic-ecg/ecgsyn_360hz.csv', '--task', 'digits']);
    expect(failureLine(r, 1)).toMatch(/a CSV file; --task digits needs audio/);
  });

  it('run --profile sparkfun-ad8232 --task digits: exit 2, a microphone is needed', async () => {
    const r = await runCli(['run', '--device', '/dev/null', '--profile', 'sparkfun-ad8232', '--task', 'digits']);
    expect(failureLine(r, 2)).toMatch(/profile sparkfun-ad8232 carries ecg; --task digits needs a microphone/);
  });

  it('--network with --task digits: exit 2 for replay and run, points to --model', async () => {
    const network = 'src/snn/networks/ecg-beat.json';
    expect(failureLine(await runCli(['replay', STREAM, '--task', 'digits', '--network', network]), 2)).toMatch(/--network is the ECG network.*--model FILE/);
    expectOneLineError(
      await runCli(['run', '--device', '/dev/null', '--profile', 'edgespike-pcm16', '--task', 'digits', '--network', network]),
      2,
      /--network is the ECG network.*--model FILE/,
    );
  });
});
