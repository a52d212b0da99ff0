/**
 * The ECG beat network's design: a handful of interpretable parameters (in spike units,
 * ticks and shifts) turned into an `edgespike-network` file with its front end.
 *
 * Front end (per sample, 360 Hz): integer QRS band-pass, then a tracking delta modulator
 * whose UP and DOWN spikes are the network's two inputs. The delta threshold is
 * `deltaCountsPerSpike` input counts (5 µV each) times the band-pass gain L1 · L2, so the
 * spike count per QRS does not depend on the band-pass lengths.
 *
 * Network (three LIF neurons, 24-bit states, as Loihi's 24-bit membrane):
 *
 *   up, down ──(+W)──► size ──(-inhibition, delay d)──┐
 *   up, down ──(+W)──► qrs ◄──────────────────────────┘ ──(+1)──► beat (refractory R ticks)
 *                        ▲─────────(-T-wave guard)───────────────────┘ (optional)
 *
 * - `qrs` is a leaky integrator of the spike rate (the slope energy of the band-passed ECG
 *   over about 2^qrsMemShift ticks); it fires when that energy beats its threshold plus the
 *   inhibition it carries.
 * - `size` counts the same spikes (one `size` spike per `sizeSpikes` input spikes, leaking
 *   over 2^sizeMemShift ticks): big QRS complexes make many `size` spikes, noise some, a flat
 *   line none. Each `size` spike reaches `qrs` as slow inhibition (its own current, decaying
 *   over 2^qrsInhShift ticks) after a delay of `inhibitionDelayTicks`, long enough that a
 *   QRS never inhibits its own detection. The result is an adaptive threshold that scales
 *   with the recent beats' amplitude and with the noise level, and decays between beats:
 *   a spiking form of the Pan-Tompkins / Christov adaptive threshold.
 * - `beat` fires on the first `qrs` spike and then stays refractory for `refractoryTicks`
 *   (no heart beats twice within it), so each QRS gives one beat spike.
 * - An optional `beat` → `qrs` inhibition (T-wave guard) raises the threshold just after a
 *   beat, where tall T waves sit.
 */
import { parseNetwork, type NetworkSpec } from './network.ts';

/** Effective weight of one input spike onto `qrs` and `size` (state units). */
export const ECG_SPIKE_WEIGHT = 4096;

/** The design parameters of the ECG beat network. */
export interface EcgBeatDesign {
  /** Network tick rate = sample rate the front end expects, Hz. */
  readonly tickRateHz: number;
  /** Band-pass boxcar lengths L1, L2 (samples) and high-pass shift m (2^m-sample mean). */
  readonly smoothSamples: readonly [number, number];
  readonly highpassShift: number;
  /** Input counts (5 µV) per delta-modulator spike, before the band-pass gain. */
  readonly deltaCountsPerSpike: number;
  /** Most spikes per sample from the delta modulator. */
  readonly maxSpikesPerSample: number;
  /** `size` neuron: input spikes per output spike (in 1/16 spike units) and leak shift. */
  readonly sizeSpikes16: number;
  readonly sizeMemShift: number;
  /** `qrs` neuron: threshold (1/16 spike units), membrane leak shift, excitatory current shift. */
  readonly qrsThreshold16: number;
  readonly qrsMemShift: number;
  readonly qrsExcShift: number;
  /** `qrs` inhibitory current leak shift (the adaptive threshold's decay). */
  readonly qrsInhShift: number;
  /** Lowest `qrs` membrane, in thresholds (how deep inhibition can push it). */
  readonly qrsFloorThresholds: number;
  /** Inhibition per `size` spike onto `qrs`, in 1/64 of the spike weight. */
  readonly inhibition64: number;
  readonly inhibitionDelayTicks: number;
  /** `beat` refractory period, ticks. */
  readonly refractoryTicks: number;
  /** T-wave guard: inhibition of `qrs` per beat, in 1/16 of the spike weight (0: none), and its delay. */
  readonly tWaveGuard16: number;
  readonly tWaveGuardDelayTicks: number;
  /** R-peak search window around a beat spike (see detect/beatDetector.ts), ticks. */
  readonly lookBackTicks: number;
  readonly lookAheadTicks: number;
  /**
   * Optional `level` neuron: a slow running level of the `size` spikes (excitatory current
   * leaking over 2^levelExcShift ticks), rate-coded (integrate-and-fire without leak, one spike
   * per `levelThreshold16`/16 spike weights), each spike inhibiting `qrs` by
   * `levelInhibition64`/64 of the spike weight. 0 disables it.
   */
  readonly levelInhibition64?: number;
  readonly levelExcShift?: number;
  readonly levelThreshold16?: number;
  /**
   * Optional `guard` neuron: the same, with a short current (2^guardExcShift ticks) fed after
   * `guardDelayTicks`: a T-wave guard proportional to the last beat's size. 0 disables it.
   */
  readonly guardInhibition64?: number;
  readonly guardExcShift?: number;
  readonly guardThreshold16?: number;
  readonly guardDelayTicks?: number;
}

/** Split an effective weight into an int8 weight and a left shift (w << shift ≈ eff). */
export function toWeightAndShift(effective: number): { weight: number; shift: number } {
  let shift = 0;
  let w = effective;
  while (Math.abs(Math.round(w)) > 127) {
    w /= 2;
    shift++;
  }
  return { weight: Math.round(w), shift };
}

/** The delta-modulator threshold the design asks for, in band-passed counts. */
export function deltaThresholdCounts(design: EcgBeatDesign): number {
  const [l1, l2] = design.smoothSamples;
  return Math.max(1, Math.round(design.deltaCountsPerSpike * l1 * l2));
}

/** Build the network file (JSON value, ready to write) for a design. */
export function buildEcgBeatNetworkJson(design: EcgBeatDesign, description = ''): Record<string, unknown> {
  const W = ECG_SPIKE_WEIGHT;
  const qrsThreshold = Math.round((design.qrsThreshold16 * W) / 16);
  const sizeThreshold = Math.round((design.sizeSpikes16 * W) / 16);
  const synapses: Record<string, unknown>[] = [
    { from: 'up', to: 'size', ...toWeightAndShift(W) },
    { from: 'down', to: 'size', ...toWeightAndShift(W) },
    { from: 'up', to: 'qrs', ...toWeightAndShift(W) },
    { from: 'down', to: 'qrs', ...toWeightAndShift(W) },
    {
      from: 'size',
      to: 'qrs',
      ...toWeightAndShift(-(design.inhibition64 * W) / 64),
      delayTicks: design.inhibitionDelayTicks,
    },
    { from: 'qrs', to: 'beat', weight: 1, delayTicks: 1 },
  ];
  const neurons: Record<string, unknown>[] = [];
  for (const [name, inhibition, excShift, threshold16, delay] of [
    ['level', design.levelInhibition64 ?? 0, design.levelExcShift ?? 9, design.levelThreshold16 ?? 1024, 1],
    ['guard', design.guardInhibition64 ?? 0, design.guardExcShift ?? 6, design.guardThreshold16 ?? 256, design.guardDelayTicks ?? 1],
  ] as const) {
    if (inhibition <= 0) continue;
    neurons.push({ name, threshold: Math.min(2 ** 23 - 1, Math.round((threshold16 * W) / 16)), memShift: 30, excShift });
    synapses.push(
      { from: 'size', to: name, ...toWeightAndShift(W), delayTicks: delay },
      { from: name, to: 'qrs', ...toWeightAndShift(-(inhibition * W) / 64), delayTicks: 1 },
    );
  }
  if (design.tWaveGuard16 > 0) {
    synapses.push({
      from: 'beat',
      to: 'qrs',
      ...toWeightAndShift(-(design.tWaveGuard16 * W) / 16),
      delayTicks: design.tWaveGuardDelayTicks,
    });
  }
  return {
    format: 'edgespike-network',
    version: 1,
    name: 'ecg-beat',
    description,
    stateBits: 24,
    inputs: ['up', 'down'],
    neurons: [
      { name: 'size', threshold: sizeThreshold, memShift: design.sizeMemShift },
      {
        name: 'qrs',
        threshold: qrsThreshold,
        memShift: design.qrsMemShift,
        excShift: design.qrsExcShift,
        inhShift: design.qrsInhShift,
        membraneMin: -Math.round(design.qrsFloorThresholds * qrsThreshold),
      },
      { name: 'beat', threshold: 1, memShift: 0, refractoryTicks: design.refractoryTicks },
      ...neurons,
    ],
    synapses,
    outputs: ['beat'],
    meta: {
      task: 'ecg-beat',
      tickRateHz: design.tickRateHz,
      inputUnits: 'counts of 5 µV (200 per mV), baseline removed',
      bandpass: { smoothSamples: design.smoothSamples, highpassShift: design.highpassShift },
      deltaModulator: {
        thresholdCounts: deltaThresholdCounts(design),
        maxSpikesPerSample: design.maxSpikesPerSample,
        refractorySamples: 0,
      },
      beat: { output: 'beat', lookBackTicks: design.lookBackTicks, lookAheadTicks: design.lookAheadTicks },
      design,
    },
  };
}

/** Build and validate the network for a design. */
export function buildEcgBeatNetwork(design: EcgBeatDesign): NetworkSpec {
  return parseNetwork(buildEcgBeatNetworkJson(design));
}
