/**
 * The golden, bit-exact output of the bundled ECG model on the bundled fixture: the encoder's
 * UP/DOWN spikes (as recorded and at a tenth of the gain, rounded as a sensor would deliver it)
 * and every neuron's membrane at every tick, as SHA-256 digests, with the spike counts and the
 * beat-neuron spike ticks. Computed here; written to tests/golden/ only by
 * `npm run golden:update` (when the model is deliberately changed), and compared by
 * tests/snn/ecgBeatGolden.test.ts.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { stressRecording } from '../../src/condition/noiseStress.ts';
import type { EcgModel } from '../../src/pipeline/ecgModel.ts';
import { encodeEcg } from '../../src/pipeline/ecgKernels.ts';
import { createLifEngine, type LifDelivery } from '../../src/snn/lifEngine.ts';
import { createSpikeEvents } from '../../src/snn/lifNetwork.ts';
import { PROJECT_ROOT } from './datasets.ts';

export const GOLDEN_PATH = resolve(PROJECT_ROOT, 'tests', 'golden', 'ecg-beat-fixture.json');

export interface Golden {
  network: string;
  ticks: number;
  /** SHA-256 of the encoder's UP/DOWN counts (2 bytes a tick) and their total, as recorded. */
  inputSpikesSha256: string;
  inputSpikes: number;
  /** The same at gain 0.1 (the fixture scaled, rounded to whole counts). */
  inputSpikesSha256Gain01: string;
  inputSpikesGain01: number;
  membraneSha256: string;
  spikeCount: number[];
  synapticOps: number;
  beatSpikeTicks: number[];
  /** SHA-256 of the search-back's candidate-neuron spike ticks (decimal, comma-separated; when the model has one). */
  candidateSpikeTicksSha256?: string;
}

/** The golden record of `model` on `samples` (the fixture), with the given delivery of the engine. */
export function goldenOf(model: EcgModel, samples: Int32Array, delivery: LifDelivery | 'auto' = 'auto'): Golden {
  const encoded = encodeEcg(model, samples);
  const quiet = encodeEcg(model, stressRecording(samples, { sampleRateHz: model.tickRateHz, gain: 0.1 }));
  const engine = createLifEngine(model.network, { delivery });
  const { net } = engine;
  const ticks = samples.length;
  const events = createSpikeEvents(ticks * model.network.outputs.length);
  const trace = new Int32Array(ticks * net.neuronCount);
  const n = engine.run(encoded.spikes, ticks, events, { membrane: trace });
  const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
  return {
    network: model.network.name,
    ticks,
    inputSpikesSha256: sha(encoded.spikes),
    inputSpikes: encoded.spikeCount,
    inputSpikesSha256Gain01: sha(quiet.spikes),
    inputSpikesGain01: quiet.spikeCount,
    membraneSha256: sha(new Uint8Array(trace.buffer)),
    spikeCount: Array.from(net.spikeCount),
    synapticOps: net.synapticOps,
    beatSpikeTicks: spikeTicksOf(events, n, model.beatOutput),
    ...(model.searchback === undefined ? {} : { candidateSpikeTicksSha256: sha(new TextEncoder().encode(spikeTicksOf(events, n, model.searchback.candidateOutput).join(','))) }),
  };
}

/** The ticks of one output's spikes among `n` events. */
export function spikeTicksOf(events: { tick: Float64Array; output: Uint16Array }, n: number, output: number): number[] {
  const ticks: number[] = [];
  for (let i = 0; i < n; i++) if (events.output[i] === output) ticks.push(events.tick[i] as number);
  return ticks;
}
