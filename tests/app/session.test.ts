/**
 * The application layer: runSession hands every sink the same items in stream order and one
 * summary built from the task's totals; runTask over openInput gives, for a real fixture, the
 * beats its reference annotation holds, to JSON lines exactly as the command prints them.
 */
import { readFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { from } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { openInput } from '../../src/app/input.ts';
import { runTask } from '../../src/app/runTask.ts';
import { runSession, type SessionItem } from '../../src/app/session.ts';
import { digitsTask } from '../../src/app/tasks/digits.ts';
import type { AudioFrame, AudioSummaryEvent, DetectionEvent, OutputEvent } from '../../src/core/events.ts';
import { beatSamples, parseMitAnnotations } from '../../src/formats/wfdb/annotation.ts';
import type { Sink } from '../../src/sinks/sink.ts';

const ECG = 'fixtures/synthetic-ecg/ecgsyn_360hz';

/** A sink that writes down what it was given. */
function recorder<F, S>(log: string[], name: string): Sink<F, S> & { ended: S[] } {
  const ended: S[] = [];
  return {
    ended,
    frame: () => log.push(`${name}:frame`),
    event: (e) => log.push(`${name}:event:${e.type}`),
    file: (f) => log.push(`${name}:file:${f}`),
    finish: (end) => {
      log.push(`${name}:finish:${end.interrupted}`);
      ended.push(end.summary);
    },
  };
}

function audioFrame(endSample: number, words: number, hiddenSpikes: number): AudioFrame {
  const detection: DetectionEvent = { type: 'detection', t: 0, end: 0.1, label: '1', score: 1, scores: { '1': 1 } };
  return {
    endSample,
    sampleRateHz: 8000,
    events: Array.from({ length: words }, () => detection),
    spikesIn: 10,
    networkInputSpikes: 4,
    hiddenSpikes,
    synapticOps: 100,
    neuronUpdates: 20,
    networkTicks: 2,
  };
}

describe('runSession', () => {
  it('gives every sink each item in stream order, first sink first, and one summary from the totals over every file', async () => {
    const items: SessionItem<AudioFrame>[] = [
      { kind: 'file', file: 'a.wav' },
      { kind: 'frame', frame: audioFrame(4000, 0, 3) },
      { kind: 'frame', frame: audioFrame(8000, 1, 5) }, // a.wav: 1 s
      { kind: 'event', event: { type: 'status', t: 1, state: 'connected' } },
      { kind: 'file', file: 'b.wav' },
      { kind: 'frame', frame: audioFrame(4000, 2, 7) }, // b.wav: 0.5 s
    ];
    const log: string[] = [];
    const first = recorder<AudioFrame, AudioSummaryEvent>(log, 'A');
    const second = recorder<AudioFrame, AudioSummaryEvent>(log, 'B');
    const model = digitsTask.loadModel(undefined);
    const interrupted = await runSession({
      task: digitsTask,
      model,
      sampleRateHz: 8000,
      items: from(items),
      sinks: [first, second],
      context: () => ({ record: 'folder', taskName: 'digits', device: undefined, files: { replayed: 2, errors: 0 } }),
    });
    expect(interrupted).toBe(false);
    expect(log).toEqual([
      'A:file:a.wav', 'B:file:a.wav',
      'A:frame', 'B:frame',
      'A:frame', 'B:frame',
      'A:event:status', 'B:event:status',
      'A:file:b.wav', 'B:file:b.wav',
      'A:frame', 'B:frame',
      'A:finish:false', 'B:finish:false',
    ]);
    expect(first.ended).toEqual(second.ended);
    const summary = first.ended[0] as AudioSummaryEvent;
    // Hand-summed: 1 s + 0.5 s of audio (the second file counts from 0 again), 3 words,
    // 3 frames × 10 cochlea spikes, hidden spikes 3 + 5 + 7.
    expect(summary).toMatchObject({ type: 'summary', record: 'folder', task: 'digits', detections: 3, audioSeconds: 1.5, spikesIn: 30, files: 2, fileErrors: 0 });
    expect(summary.cost).toMatchObject({ inputSpikes: 12, hiddenSpikes: 15, synapticOps: 300, neuronUpdates: 60, networkTicks: 6 });
  });
});

describe('runTask over openInput', () => {
  it('replays the ECG fixture to JSON lines: one beat per reference beat within 150 ms, the summary counting them', async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const input = await openInput({ kind: 'path', path: ECG, signal: 'ecg', speed: Infinity, channel: undefined });
    expect(input).toMatchObject({ kind: 'record', name: 'ecgsyn_360hz', sampleRateHz: 360, totalSeconds: 300 });
    const status = await runTask({ kind: 'path', path: ECG, signal: 'ecg', speed: Infinity, channel: undefined }, { command: 'replay', task: 'ecg', modelPath: undefined, format: 'jsonl', view: undefined, out });
    expect(status).toBe(0);
    const events = Buffer.concat(chunks).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as OutputEvent);
    const beats = events.filter((e) => e.type === 'beat').map((e) => (e as { sample: number }).sample);
    const reference = beatSamples(parseMitAnnotations(new Uint8Array(await readFile(`${ECG}.atr`))));
    expect(beats.length).toBe(reference.length);
    beats.forEach((b, i) => expect(Math.abs(b - (reference[i] as number))).toBeLessThanOrEqual(0.15 * 360));
    expect(events.at(-1)).toMatchObject({ type: 'summary', record: 'ecgsyn_360hz', beats: reference.length, signalSeconds: 300 });
  });

  it('a task that cannot read the input says so before any output: an ECG record for the digits task', async () => {
    await expect(openInput({ kind: 'path', path: ECG, signal: 'audio', speed: Infinity, channel: undefined, taskFlag: '--task digits' })).rejects.toThrow(
      /not a \.wav file \(read as a WFDB record\); --task digits needs audio/,
    );
  });
});
