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
import type { DetectionEvent } from '../../src/detect/events.ts';
import { classifyClip, createAudioClassifier } from '../../src/pipeline/audioClassify.ts';
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

const present = haveDataset('streams of FSDD test-split clips through the digits pipeline', TEST_SPLIT.map((c) => `fsdd/${c.file}`));

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
async function joinedStream(clips: readonly { file: string; label: string }[]): Promise<StreamResult> {
  const model = loadAudioModel();
  const rateHz = model.frontEnd.sampleRateHz;
  const classifier = createAudioClassifier(model);
  const gap = Math.round(GAP_SECONDS * rateHz);

  const read = await Promise.all(clips.map(async (c) => ({ ...c, samples: await readAudio(datasetPath('fsdd', c.file), rateHz) })));
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

  const chunks: SampleChunk[] = [];
  for (let s = 0; s < stream.length; s += CHUNK_SAMPLES) {
    chunks.push({ startSample: s, sampleRateHz: rateHz, samples: stream.slice(s, s + CHUNK_SAMPLES) });
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
  console.log(
    `[measured] FSDD stream of ${n} test-split clips with ${GAP_SECONDS} s gaps (${seconds.toFixed(1)} s): ` +
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
  it('20 clips (all digits, all speakers): >= 19 detected in order with time overlap, nothing extra, >= 19 labelled as alone', async () => {
    const r = await joinedStream(CLIPS);
    expect(r.extra).toEqual([]);
    expect(r.matched.size).toBeGreaterThanOrEqual(19);
    expect(r.asAlone).toBeGreaterThanOrEqual(19);
    // Dated by the stream's samples: every detection inside the stream, start before end, in order.
    let previousEnd = 0;
    for (const d of r.detections) {
      expect(d.t).toBeGreaterThanOrEqual(previousEnd);
      expect(d.end).toBeGreaterThan(d.t);
      previousEnd = d.end;
    }
    expect(previousEnd).toBeLessThanOrEqual(r.seconds);
  });

  it('the whole test split (250 clips): >= 95% detected in order, nothing extra, >= 95% labelled as alone', async () => {
    const r = await joinedStream(TEST_SPLIT);
    expect(r.extra).toEqual([]);
    expect(r.matched.size).toBeGreaterThanOrEqual(0.95 * r.placed.length);
    expect(r.asAlone).toBeGreaterThanOrEqual(0.95 * r.placed.length);
  });
});
