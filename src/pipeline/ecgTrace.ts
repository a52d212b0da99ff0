/**
 * What the ECG pipeline saw and did over a time window, for plots: the input signal, the
 * band-passed signal, the UP/DOWN spikes, every neuron's spikes and membrane, the beats, and
 * (when the record has a `.atr`) the reference beats and which detections matched them.
 *
 * Nothing is re-implemented: the record goes through the pipeline's own operators (resample,
 * QRS band-pass, delta modulator; or the noise-switched front end, whose wide path the plot
 * shows while its selected path feeds the network) from its first sample, so every state is what `replay` has
 * when it reaches the window; the network is the same fixed-point engine as `replay`'s
 * (`createLifEngine`; membranes are recorded through its generic loop, bit-identical) and the beats come from the same beat
 * detector. Each chunk goes through the network and the detector as it comes; inside the window
 * the network runs one tick per call so each tick's spikes and membranes can be read (chunking
 * never changes results). Reading stops a margin after the
 * window, so a long record costs only up to the window's end.
 */
import { tap } from 'rxjs';
import type { EcgReference, EcgTrace, NeuronSpike, TraceWindow } from '../core/traces.ts';
import { concatArrays } from '../core/concatArrays.ts';
import { createBeatDetector, flushBeatDetector, processBeatDetector } from '../detect/beatDetector.ts';
import { DEFAULT_MATCH_TOLERANCE_SECONDS, matchBeats } from '../detect/beatMatching.ts';
import { createQrsBandpass, qrsBandpassDelaySamples } from '../condition/qrsBandpass.ts';
import { deltaModulate } from '../operators/deltaModulate.ts';
import { noiseSwitchedEncode } from '../operators/noiseSwitchedEncode.ts';
import { qrsBandpass } from '../operators/qrsBandpass.ts';
import { resample } from '../operators/resample.ts';
import { createLifEngine } from '../snn/lifEngine.ts';
import { createSpikeEvents } from '../snn/lifNetwork.ts';
import type { OpenedAnyRecord } from '../sources/openRecord.ts';
import { beatDetectorOptions, type EcgModel } from './ecgModel.ts';
import { readTraceWindow } from './traceWindow.ts';

/**
 * Run the ECG pipeline over `record` from its start and keep what happened in `window`.
 * @param model the ECG model (the bundled network by default in the CLI)
 * @param record an opened WFDB record or CSV file (`openRecord`)
 * @param window seconds from the record's start; `toSeconds` > `fromSeconds` ≥ 0
 * @param referenceBeats reference beats, record samples (`readReferenceBeats`), to mark them and TP/FP/FN
 * @param toleranceSeconds half-width of the matching window, s. @default 0.15 (as eval)
 * @example await traceEcg(loadEcgModel(), await openRecord('fixtures/synthetic-ecg/ecgsyn_360hz'),
 *   { fromSeconds: 0, toSeconds: 10 }) → { beats: [ ... 12 samples ... ], neuronSpikes: [...], ... }
 * Cost: the pipeline up to the window's end + 2 s; memory O(the window), whatever its place in the record.
 */
export async function traceEcg(
  model: EcgModel,
  record: OpenedAnyRecord,
  window: TraceWindow,
  referenceBeats?: readonly number[],
  toleranceSeconds = DEFAULT_MATCH_TOLERANCE_SECONDS,
): Promise<EcgTrace> {
  const { info } = record;
  const fs = info.sampleRateHz;
  const tickRateHz = model.tickRateHz;
  // The network and the beat detector, as in detectEncodedEcg, run on each chunk as it comes;
  // inside the window one tick at a time, recording membranes and spikes. Only the window's
  // signal, spikes and membranes are kept, so a window late in a long record costs no more
  // memory than one at its start.
  const spec = model.network;
  const engine = createLifEngine(spec);
  const { net } = engine;
  const neuronCount = net.neuronCount;
  const detector = createBeatDetector(beatDetectorOptions(model, fs));
  const chunkTicks = 4096;
  const events = createSpikeEvents(chunkTicks * spec.outputs.length);
  const windowFirstTick = Math.floor(window.fromSeconds * tickRateHz);
  const windowEndTick = Math.ceil(window.toSeconds * tickRateHz);
  const membraneAll = new Int32Array(Math.max(0, windowEndTick - windowFirstTick) * neuronCount);
  const neuronSpikes: NeuronSpike[] = [];
  const before = new Float64Array(neuronCount);
  const beats: number[] = [];
  const conditioned: Int32Array[] = [];
  const spikes: Uint8Array[] = [];
  let ticksRead = 0;
  // `shown`: the band-passed signal the plot shows (with the noise switch, the wide path's; the
  // beat detector reads the selected path's, `signal`).
  const consume = (signal: Int32Array, rows: Uint8Array, ticks: number, shown: Int32Array = signal): void => {
    const start = ticksRead;
    const step = (from: number, n: number, trace?: Int32Array): void => {
      const count = engine.run(rows.subarray(2 * from, 2 * (from + n)), n, events, trace === undefined ? undefined : { membrane: trace });
      processBeatDetector(detector, signal.subarray(from, from + n), n, events.tick, events.output, count, beats);
    };
    const inFrom = Math.min(ticks, Math.max(0, windowFirstTick - start));
    const inTo = Math.min(ticks, Math.max(0, windowEndTick - start));
    if (inTo > inFrom) {
      conditioned.push(shown.slice(inFrom, inTo));
      spikes.push(rows.slice(2 * inFrom, 2 * inTo));
    }
    for (let i = 0; i < ticks; ) {
      if (i >= inFrom && i < inTo) {
        const w = start + i - windowFirstTick;
        before.set(net.spikeCount);
        step(i, 1, membraneAll.subarray(w * neuronCount, (w + 1) * neuronCount));
        for (let n = 0; n < neuronCount; n++) if ((net.spikeCount[n] as number) > (before[n] as number)) neuronSpikes.push({ tick: start + i, neuron: n });
        i++;
      } else {
        const n = Math.min(chunkTicks, (i < inFrom ? inFrom : ticks) - i);
        step(i, n);
        i += n;
      }
    }
    ticksRead += ticks;
  };
  const { noiseSwitch } = model;
  const { firstSample, endSample, samples: windowSamples, complete } = await readTraceWindow(record, window, (chunks) =>
    noiseSwitch === undefined
      ? chunks.pipe(
          resample(tickRateHz),
          qrsBandpass(model.bandpass),
          deltaModulate(model.encoder),
          tap((chunk) => consume(chunk.samples, chunk.counts, chunk.ticks)),
        )
      : chunks.pipe(
          resample(tickRateHz),
          noiseSwitchedEncode(noiseSwitch),
          tap((chunk) => consume(chunk.samples, chunk.counts, chunk.ticks, chunk.wideSamples)),
        ),
  );
  const firstTick = Math.min(windowFirstTick, ticksRead);
  const endTick = Math.min(windowEndTick, ticksRead);
  const membrane = membraneAll.slice(0, (endTick - firstTick) * neuronCount);
  if (complete) flushBeatDetector(detector, beats);
  const inWindow = (s: number): boolean => s >= firstSample && s < endSample;
  const windowBeats = beats.filter(inWindow);

  let reference: EcgReference | undefined;
  if (referenceBeats !== undefined) {
    const refBeats = referenceBeats.filter(inWindow);
    const match = matchBeats(windowBeats, refBeats, { sampleRateHz: fs, toleranceSeconds });
    const fp = new Set(match.unmatchedDetectionSamples);
    reference = {
      toleranceSeconds,
      beats: refBeats,
      truePositives: windowBeats.filter((b) => !fp.has(b)),
      falsePositives: match.unmatchedDetectionSamples,
      falseNegatives: match.unmatchedReferenceSamples,
    };
  }
  const beatNeuron = spec.neurons.findIndex((n) => n.name === spec.outputs[model.beatOutput]);
  return {
    kind: 'ecg',
    recordName: info.recordName,
    channelName: info.channelName,
    window,
    sampleRateHz: fs,
    tickRateHz,
    firstSample,
    inputCounts: windowSamples,
    firstTick,
    conditioned: concatArrays(conditioned, Int32Array),
    bandpassGain: model.bandpass.smoothSamples[0] * model.bandpass.smoothSamples[1],
    // With the noise switch the wide path is shown at the narrow band-pass's delay (it is delayed to line up).
    bandpassDelayTicks: qrsBandpassDelaySamples(createQrsBandpass(noiseSwitch?.narrow ?? model.bandpass)),
    spikes: concatArrays(spikes, Uint8Array),
    neuronNames: spec.neurons.map((n) => n.name),
    thresholds: Array.from(net.threshold),
    beatNeuron,
    neuronSpikes,
    membrane,
    beats: windowBeats,
    ...(reference === undefined ? {} : { reference }),
  };
}


/** A window to plot around beat-detection errors, and the errors in it. */
export interface ErrorWindow extends TraceWindow {
  /** The errors it was made for, in time order: FP (a detection without a reference beat) or FN (a missed reference beat). */
  readonly errors: readonly { readonly kind: 'FP' | 'FN'; readonly sample: number }[];
}

/**
 * Windows of ±`halfWidthSeconds` around each FP and FN, merged: an error that falls inside the
 * current window (more than 1 s before its end) joins it instead of getting its own plot, so a
 * burst of errors gives a few plots, each at most 2 × `halfWidthSeconds` long.
 * @param falsePositives detections without a reference beat, record samples (`BeatMatch.unmatchedDetectionSamples`)
 * @param falseNegatives missed reference beats, record samples (`BeatMatch.unmatchedReferenceSamples`)
 * @param sampleRateHz the record's rate, Hz
 * @param durationSeconds the record's length, s (windows are clipped to [0, duration])
 * @param halfWidthSeconds @default 5
 * @example errorWindows([3600], [3960, 36000], 360, 300) → windows 5–15 s (FP at 10 s, FN at 11 s) and 95–105 s (FN at 100 s)
 */
export function errorWindows(
  falsePositives: readonly number[],
  falseNegatives: readonly number[],
  sampleRateHz: number,
  durationSeconds: number,
  halfWidthSeconds = 5,
): ErrorWindow[] {
  const errors = [
    ...falsePositives.map((sample) => ({ kind: 'FP' as const, sample })),
    ...falseNegatives.map((sample) => ({ kind: 'FN' as const, sample })),
  ].sort((a, b) => a.sample - b.sample);
  const windows: { fromSeconds: number; toSeconds: number; errors: ErrorWindow['errors'][number][] }[] = [];
  for (const error of errors) {
    const t = error.sample / sampleRateHz;
    const last = windows.at(-1);
    if (last !== undefined && t < last.toSeconds - 1) {
      last.errors.push(error);
    } else {
      windows.push({ fromSeconds: Math.max(0, t - halfWidthSeconds), toSeconds: Math.min(durationSeconds, t + halfWidthSeconds), errors: [error] });
    }
  }
  return windows;
}
