/**
 * What the audio pipeline saw and did over a time window, for plots: the waveform, the
 * cochlea's UP/DOWN spikes per channel, the hidden neurons' spikes, the readout membranes and
 * the word detections.
 *
 * Nothing is re-implemented: the file goes through the pipeline's own operators (anti-alias,
 * resample, cochlea) from its first sample, and the word detector drives the same fixed-point
 * network as in `audioPipeline` (`lifWordNetwork`'s engine, `createLifEngine`), here wrapped so
 * every network tick's spikes and readouts are recorded. The detector runs the network only on
 * words, from rest: for each word, on the consecutive stream ticks from the pre-roll's first
 * tick to the word's last tick with spikes, in order (spikeless ticks are held back and run
 * before the next spiking one, or never). So network tick j after a reset is stream tick
 * s + j, where s = the onset tick − the pre-roll the detector takes (min(pre-roll, ticks seen)).
 */
import { tap } from 'rxjs';
import { concatArrays } from '../core/concatArrays.ts';
import { backgroundIndex, createWordDetector, finishWordDetector, processWordDetector, type WordDetection, type WordDetector, type WordNetwork } from '../detect/wordDetector.ts';
import { antiAlias } from '../operators/antiAlias.ts';
import { cochleaSpikes } from '../operators/cochleaSpikes.ts';
import { resample } from '../operators/resample.ts';
import { createLifEngine } from '../snn/lifEngine.ts';
import { createSpikeEvents } from '../snn/lifNetwork.ts';
import type { OpenedAnyRecord } from '../sources/openRecord.ts';
import type { AudioModel } from './audioModel.ts';
import { lifWordNetwork, pipelineGate, wordDetectorOptions } from './audioPipeline.ts';
import { gateDrops, gatedWordNetwork } from './wordGate.ts';
import type { AudioTrace, NeuronSpike, TraceWindow } from '../core/traces.ts';
import { readTraceWindow } from './traceWindow.ts';

/**
 * Run the audio pipeline over `record` from its start and keep what happened in `window`.
 * @param model the audio model (`loadAudioModel`)
 * @param record an opened WAV file (`openRecord`)
 * @param window seconds from the file's start; `toSeconds` > `fromSeconds` ≥ 0
 * @example await traceAudio(loadAudioModel(), await openRecord('fixtures/audio-digits/stream-3-1-4.wav'),
 *   { fromSeconds: 0, toSeconds: 4.68 }) → { detections: [{ t: 0.904, end: 1.264, label: '3', ... }, ...], ... }
 * Cost: the pipeline up to the window's end + 2 s, one network call per tick in words.
 */
export async function traceAudio(model: AudioModel, record: OpenedAnyRecord, window: TraceWindow): Promise<AudioTrace> {
  const { info } = record;
  const { frontEnd } = model;
  const fs = info.sampleRateHz;
  const tickSeconds = model.tickSeconds;
  const firstTick = Math.floor(window.fromSeconds / tickSeconds);
  const endTick = Math.ceil(window.toSeconds / tickSeconds);
  const inWindow = (tick: number): boolean => tick >= firstTick && tick < endTick;

  // The network, recorded tick by tick; see the module comment for the tick mapping.
  const spec = model.network;
  const engine = createLifEngine(spec);
  const { net } = engine;
  const outputs = new Set(spec.outputs);
  const hiddenIndex = spec.neurons.map((n, i) => (outputs.has(n.name) ? -1 : i)).filter((i) => i >= 0);
  const hiddenOf = new Int32Array(spec.neurons.length).fill(-1);
  hiddenIndex.forEach((n, h) => (hiddenOf[n] = h));
  const index = new Map(spec.neurons.map((n, i) => [n.name, i]));
  const readoutNeurons = Uint16Array.from(spec.outputs, (name) => index.get(name) as number);
  const classes = spec.outputs.length;
  const events = createSpikeEvents(classes);
  const before = new Float64Array(net.neuronCount);
  const hiddenSpikes: NeuronSpike[] = [];
  const readouts: { tick: number; k: number; membrane: number }[] = [];
  const current: { detector?: WordDetector } = {}; // set once the detector that owns the network exists
  let segmentTick = 0;
  const network: WordNetwork = {
    reset() {
      engine.reset();
      const d = current.detector as WordDetector;
      segmentTick = d.tick - Math.min(d.preRollTicks, d.ringCount);
    },
    run(rows, ticks, out) {
      const I = net.inputCount;
      for (let t = 0; t < ticks; t++) {
        before.set(net.spikeCount);
        const mem = out.subarray(t * classes, (t + 1) * classes);
        engine.run(rows.subarray(t * I, (t + 1) * I), 1, events, { membrane: mem, neurons: readoutNeurons });
        const tick = segmentTick++;
        if (!inWindow(tick)) continue;
        for (let n = 0; n < net.neuronCount; n++) {
          if ((net.spikeCount[n] as number) > (before[n] as number) && (hiddenOf[n] as number) >= 0) hiddenSpikes.push({ tick, neuron: hiddenOf[n] as number });
        }
        for (let k = 0; k < classes; k++) readouts.push({ tick, k, membrane: mem[k] as number });
      }
    },
  };
  // The word gate too, as the stream runs it (`audioPipeline`): a segment it drops is no detection.
  const gate = pipelineGate(model, undefined);
  const options = wordDetectorOptions(model, {}, gate);
  const noCounts = { hiddenSpikes: 0, synapticOps: 0, neuronUpdates: 0 };
  const wordDetector = createWordDetector(
    options,
    gate === undefined ? network : gatedWordNetwork({ ...network, counts: () => noCounts }, classes, lifWordNetwork(gate.model.network), gate.model.classes.length),
  );
  current.detector = wordDetector;
  const words: WordDetection[] = [];
  const cochlea: Uint8Array[] = [];
  let cochleaStart = -1;
  const { firstSample, samples, complete } = await readTraceWindow(record, window, (chunks) =>
    chunks.pipe(
      antiAlias(frontEnd.sampleRateHz),
      resample(frontEnd.sampleRateHz),
      cochleaSpikes(frontEnd),
      tap((chunk) => {
        processWordDetector(wordDetector, chunk.counts, chunk.ticks, words);
        const from = Math.max(firstTick, chunk.startTick);
        const to = Math.min(endTick, chunk.startTick + chunk.ticks);
        if (to > from) {
          if (cochleaStart < 0) cochleaStart = from;
          cochlea.push(chunk.counts.slice((from - chunk.startTick) * chunk.inputCount, (to - chunk.startTick) * chunk.inputCount));
        }
      }),
    ),
  );
  if (complete) finishWordDetector(wordDetector, words);
  const rows = concatArrays(cochlea, Uint8Array);
  // Times as detectWords reports them (tick × tickSamples / rate), so they equal replay's.
  const seconds = (tick: number): number => (tick * frontEnd.tickSamples) / frontEnd.sampleRateHz;
  // A segment labelled as the background class ("not a word") is no detection, as in the stream.
  const background = backgroundIndex(model.classes);
  const detections = words
    .filter((w) => w.label !== background && !(gate !== undefined && gateDrops(w, gate, classes)))
    .map((w) => ({ t: seconds(w.startTick), end: seconds(w.endTick), label: model.classes[w.label] ?? String(w.label), score: w.score }))
    .filter((d) => d.end > window.fromSeconds && d.t < window.toSeconds);
  return {
    kind: 'audio',
    recordName: info.recordName,
    window,
    sampleRateHz: fs,
    tickSeconds,
    firstSample,
    waveform: samples,
    firstTick: cochleaStart < 0 ? firstTick : cochleaStart,
    channels: frontEnd.channels,
    cochlea: rows,
    hiddenNames: hiddenIndex.map((i) => spec.neurons[i]?.name ?? String(i)),
    hiddenSpikes,
    classes: model.classes,
    membraneUnit: options.membraneUnit ?? 32768,
    readouts,
    detections,
  };
}
