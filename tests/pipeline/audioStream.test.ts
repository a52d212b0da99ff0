/**
 * The streaming digits pipeline (src/pipeline/audioPipeline.ts) on a stream joined from FSDD
 * test-split clips with silence between them, as the issue asks: the right detections, in the
 * right order, at the right times. Nothing here depends on what the bundled model answers for a
 * clip: each detection's label is compared with the label the same model gives that clip alone
 * (src/pipeline/audioClassify.ts), and agreement with the truth is measured and printed, not
 * asserted. Skipped with a note when ../shared/datasets/fsdd is absent.
 */
import { from, lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { SampleChunk } from '../../src/core/chunks.ts';
import type { DetectionEvent } from '../../src/core/events.ts';
import { activeSpeechPower, applyGainDb, mixAtSnr, noiseOffsetFor } from '../../src/condition/audioConditions.ts';
import { classifyClip, createAudioClassifier } from '../../src/pipeline/audioClassify.ts';
import { loadNoiseClips } from '../../src/pipeline/audioStress.ts';
import { readAudio } from '../../src/pipeline/audioDataset.ts';
import { loadAudioModel } from '../../src/pipeline/audioModel.ts';
import { audioPipeline } from '../../src/pipeline/audioPipeline.ts';
import { datasetPath, haveDataset } from '../helpers/datasets.ts';
import { FSDD_SPEAKERS } from '../helpers/fsdd.ts';

/** Silence (zeros) before, between and after the clips, s: as in fixtures/audio-digits/stream-3-1-4. */
const GAP_SECONDS = 0.8;
/** Samples per chunk fed to the pipeline (an odd size, so chunk edges fall anywhere). */
const CHUNK_SAMPLES = 999;

/**
 * 20 test-split clips (FSDD indices 0-4): every digit twice, every speaker four times, every
 * index four times, digits in a scrambled order (7i mod 10, then 3i mod 10).
 */
const CLIPS = Array.from({ length: 20 }, (_, i) => {
  const digit = i < 10 ? (7 * i) % 10 : (3 * i) % 10;
  const speaker = FSDD_SPEAKERS[(i + Math.floor(i / 10)) % FSDD_SPEAKERS.length] as string;
  return { file: `${digit}_${speaker}_${i % 5}.wav`, label: String(digit) };
});

/**
 * The whole test split (250 clips: 10 digits × 5 speakers × indices 0-4) in a scrambled order:
 * clip (97 i mod 250) of the list sorted by index, speaker and digit.
 */
const TEST_SPLIT = Array.from({ length: 250 }, (_, i) => {
  const k = (97 * i) % 250;
  const digit = k % 10;
  return { file: `${digit}_${FSDD_SPEAKERS[Math.floor(k / 10) % 5] as string}_${Math.floor(k / 50)}.wav`, label: String(digit) };
});

/** The shared noises the stream is also heard in (two recorded ones and a generated one). */
const STREAM_NOISES = ['doing_the_dishes', 'white_noise', 'exercise_bike'] as const;
const present = haveDataset('streams of FSDD test-split clips through the digits pipeline', [
  ...TEST_SPLIT.map((c) => `fsdd/${c.file}`),
  ...STREAM_NOISES.map((n) => `noise/${n}.wav`),
]);

/** How the joined stream is heard: a gain re. the recording, and optionally a shared noise at an SNR. */
interface StreamCondition {
  readonly gainDb: number;
  /** A recording of ../shared/datasets/noise, without `.wav`. */
  readonly noise?: string;
  readonly snrDb?: number;
  /**
   * Bring every clip to the same active speech level (the median clip's) before joining, so every
   * word is at the stream's SNR; otherwise the clips keep their recorded levels, 14 dB apart
   * from the quietest speaker to the loudest, and the quietest words are 10 dB or so below the SNR.
   */
  readonly equalLevels?: boolean;
}

/** One clip of the joined stream: where it is (seconds, end exclusive). */
interface Placed {
  readonly file: string;
  readonly label: string;
  readonly startSeconds: number;
  readonly endSeconds: number;
  /** The clip's label from whole-clip classification of the clip alone. */
  readonly isolatedLabel: string;
}

/** What a joined stream gave: its clips, the detections matched to them, and the rest. */
interface StreamResult {
  readonly placed: readonly Placed[];
  readonly detections: readonly DetectionEvent[];
  /** Clip index → the detection matched to it. */
  readonly matched: ReadonlyMap<number, DetectionEvent>;
  readonly extra: readonly DetectionEvent[];
  /** Matched detections whose label is the clip's label alone. */
  readonly asAlone: number;
  readonly seconds: number;
}

/**
 * Join `clips` with `GAP_SECONDS` of zeros before, between and after them, run the stream
 * through `audioPipeline` in `CHUNK_SAMPLES` chunks, match detections to clips, and print what
 * was measured.
 */
async function joinedStream(clips: readonly { file: string; label: string }[], condition?: StreamCondition): Promise<StreamResult> {
  const model = loadAudioModel(process.env.EDGESPIKE_TEST_DIGITS_MODEL || undefined);
  const rateHz = model.frontEnd.sampleRateHz;
  const classifier = createAudioClassifier(model);
  const gap = Math.round(GAP_SECONDS * rateHz);

  let read = await Promise.all(clips.map(async (c) => ({ ...c, samples: await readAudio(datasetPath('fsdd', c.file), rateHz) })));
  if (condition?.equalLevels === true) {
    const powers = read.map((c) => activeSpeechPower(c.samples, rateHz));
    const median = [...powers].sort((a, b) => a - b)[Math.floor(powers.length / 2)] as number;
    read = read.map((c, i) => ({ ...c, samples: applyGainDb(c.samples, 10 * Math.log10(median / (powers[i] as number))) }));
  }
  const stream = new Int32Array(gap * (read.length + 1) + read.reduce((n, c) => n + c.samples.length, 0));
  const placed: Placed[] = [];
  let at = gap;
  for (const c of read) {
    stream.set(c.samples, at);
    placed.push({
      file: c.file,
      label: c.label,
      startSeconds: at / rateHz,
      endSeconds: (at + c.samples.length) / rateHz,
      isolatedLabel: classifyClip(classifier, c.samples).label,
    });
    at += c.samples.length + gap;
  }

  // The condition: noise over the whole stream (gaps included) at the SNR against the clips'
  // active speech level, then the gain, rounded and clipped to int16 as a microphone delivers it.
  let heard: Int32Array = stream;
  if (condition !== undefined) {
    const noise = condition.noise === undefined ? undefined : (await loadNoiseClips([datasetPath('noise', `${condition.noise}.wav`)], rateHz))[0];
    heard =
      noise === undefined
        ? applyGainDb(stream, condition.gainDb)
        : mixAtSnr(stream, noise.samples, condition.snrDb ?? 0, noiseOffsetFor(1, 0, noise.samples.length), activeSpeechPower(stream, rateHz), condition.gainDb);
  }
  const chunks: SampleChunk[] = [];
  for (let s = 0; s < heard.length; s += CHUNK_SAMPLES) {
    chunks.push({ startSample: s, sampleRateHz: rateHz, samples: heard.slice(s, s + CHUNK_SAMPLES) });
  }
  const frames = await lastValueFrom(from(chunks).pipe(audioPipeline(model), toArray()));
  const detections = frames.flatMap((f) => f.events);

  // A detection belongs to the one clip it overlaps in time; one that overlaps none or two, or
  // a clip already matched or earlier than the last match (out of order), is extra.
  const overlaps = (d: DetectionEvent, p: Placed): boolean => d.t < p.endSeconds && d.end > p.startSeconds;
  const matched = new Map<number, DetectionEvent>();
  const extra: DetectionEvent[] = [];
  let previous = -1;
  for (const d of detections) {
    const hit = placed.flatMap((p, i) => (overlaps(d, p) ? [i] : []));
    const i = hit[0];
    if (hit.length !== 1 || i === undefined || i <= previous) {
      extra.push(d);
      continue;
    }
    matched.set(i, d);
    previous = i;
  }

  let asAlone = 0;
  let right = 0;
  let onsetErrorMs = 0;
  for (const [i, d] of matched) {
    const p = placed[i] as Placed;
    if (d.label === p.isolatedLabel) asAlone++;
    if (d.label === p.label) right++;
    onsetErrorMs += 1000 * Math.abs(d.t - p.startSeconds);
  }
  const rightAlone = placed.filter((p) => p.isolatedLabel === p.label).length;
  const n = placed.length;
  const seconds = stream.length / rateHz;
  const heardAs = condition === undefined ? '' : ` at ${condition.gainDb} dB${condition.noise !== undefined ? ` with ${condition.noise} at ${condition.snrDb} dB SNR` : ''}${condition.equalLevels === true ? ' (clips at equal levels)' : ''}`;
  console.log(
    `[measured] FSDD stream${heardAs} of ${n} test-split clips with ${GAP_SECONDS} s gaps (${seconds.toFixed(1)} s): ` +
      `${matched.size}/${n} detected in order, ${extra.length} extra; stream label = the clip's alone ${asAlone}/${matched.size}; ` +
      `right label ${right}/${n} in the stream (${rightAlone}/${n} alone); ` +
      `mean |onset error| ${(matched.size > 0 ? onsetErrorMs / matched.size : NaN).toFixed(0)} ms (from the clip's first sample)`,
  );
  for (const d of extra) console.log(`[measured]   extra: "${d.label}" ${d.t.toFixed(3)}-${d.end.toFixed(3)} s`);
  placed.forEach((p, i) => {
    const d = matched.get(i);
    if (d === undefined) console.log(`[measured]   missed: ${p.file} at ${p.startSeconds.toFixed(3)}-${p.endSeconds.toFixed(3)} s`);
    else if (d.label !== p.isolatedLabel) console.log(`[measured]   ${p.file}: "${d.label}" in the stream, "${p.isolatedLabel}" alone`);
  });
  return { placed, detections, matched, extra, asAlone, seconds };
}

describe.skipIf(!present)('audioPipeline on FSDD test-split clips joined with 0.8 s of silence', () => {
  it('20 clips (all digits, all speakers): >= 19 detected in order with time overlap, nothing extra, >= 17 labelled as alone', async () => {
    // "As alone": with the AGC a word in a stream is heard against the background the stream
    // gives it, a clip alone against its own (`cochleaRaster` primes it); measured 18 of 20 get
    // the same label (18 of 20 right either way).
    const r = await joinedStream(CLIPS);
    expect(r.extra).toEqual([]);
    expect(r.matched.size).toBeGreaterThanOrEqual(19);
    expect(r.asAlone).toBeGreaterThanOrEqual(17);
    // Dated by the stream's samples: every detection inside the stream, start before end, in order.
    let previousEnd = 0;
    for (const d of r.detections) {
      expect(d.t).toBeGreaterThanOrEqual(previousEnd);
      expect(d.end).toBeGreaterThan(d.t);
      previousEnd = d.end;
    }
    expect(previousEnd).toBeLessThanOrEqual(r.seconds);
  });

  it('the whole test split (250 clips): >= 248 detected in order, <= 2 extra, >= 94 % labelled as alone', async () => {
    // Measured: 250/250, 2 extra (short sounds), 239 of 250 labelled as alone.
    const r = await joinedStream(TEST_SPLIT);
    expect(r.extra.length).toBeLessThanOrEqual(2);
    expect(r.matched.size).toBeGreaterThanOrEqual(248);
    expect(r.asAlone).toBeGreaterThanOrEqual(0.94 * r.placed.length);
  });

  // Issue 10's target: the stream 30 dB quieter and in noise at 10 dB SNR, as a microphone at
  // arm's length in a noisy room hears it: >= 248 of 250 words in order, <= 2 extra. Met in
  // quiet (measured 250/250, 1 extra) and in white noise (250/250, 0 extra; 247 when the
  // shortest word was 100 ms: three of lucas's "six" are heard for under 100 ms there) and in
  // exercise-bike noise (249/250, 0 extra; 28 extra before the speech-band test). In kitchen
  // clatter (doing_the_dishes) not met: 247/250 and 3 extra (the word gate drops what the
  // detector cannot tell from a word: 33 extra without it; 230 words before the 1 s cap and the
  // re-arm after it); its bounds are what is measured, to hold the ground.
  it('the whole test split at −30 dB (no noise): >= 248 detected in order, <= 2 extra (the issue target)', async () => {
    const r = await joinedStream(TEST_SPLIT, { gainDb: -30 });
    expect(r.extra.length).toBeLessThanOrEqual(2);
    expect(r.matched.size).toBeGreaterThanOrEqual(248);
  });

  it('the whole test split at −30 dB with white noise at 10 dB SNR, every clip at 10 dB: >= 248 detected in order, <= 2 extra (the issue target)', async () => {
    const r = await joinedStream(TEST_SPLIT, { gainDb: -30, noise: 'white_noise', snrDb: 10, equalLevels: true });
    expect(r.extra.length).toBeLessThanOrEqual(2);
    expect(r.matched.size).toBeGreaterThanOrEqual(248);
  });

  it('the whole test split at −30 dB with exercise-bike noise at 10 dB SNR, every clip at 10 dB: >= 248 detected in order, <= 2 extra (the issue target)', async () => {
    // The bike's thumps between words rise like words; heard below 300 Hz only, the speech-band
    // test drops them (measured: 249/250 and 0 extra; 28 extra without the test).
    const r = await joinedStream(TEST_SPLIT, { gainDb: -30, noise: 'exercise_bike', snrDb: 10, equalLevels: true });
    expect(r.extra.length).toBeLessThanOrEqual(2);
    expect(r.matched.size).toBeGreaterThanOrEqual(248);
  });

  it('the whole test split at −30 dB with kitchen noise at 10 dB SNR, every clip at 10 dB: >= 246 detected in order, <= 4 extra (the target is 248 and 2)', async () => {
    const r = await joinedStream(TEST_SPLIT, { gainDb: -30, noise: 'doing_the_dishes', snrDb: 10, equalLevels: true });
    expect(r.extra.length).toBeLessThanOrEqual(4);
    expect(r.matched.size).toBeGreaterThanOrEqual(246);
  });
});
