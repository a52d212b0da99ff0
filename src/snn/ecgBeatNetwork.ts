/**
 * The ECG beat network's design: a handful of interpretable parameters (in spike units,
 * ticks and shifts) turned into an `edgespike-network` file with its front end.
 *
 * Front end (per sample, 360 Hz): integer QRS band-pass, then a level-adaptive delta
 * modulator (encode/adaptiveDeltaModulator.ts) whose UP and DOWN spikes are the network's two
 * inputs: its threshold is `admThresholdQ8`/256 of the band-passed signal's QRS level, so a QRS
 * gives the same spikes at any gain. (A design without `admThresholdQ8` gets the older fixed
 * threshold of `deltaCountsPerSpike` input counts times the band-pass gain L1 · L2.)
 *
 * Network (three to four LIF neurons, 24-bit states, as Loihi's 24-bit membrane):
 *
 *   up, down ──(+W)──► size ──(-inhibition, delay d)──┐
 *   up, down ──(+W)──► qrs ◄──────────────────────────┘ ──(+1)──► beat (refractory R ticks)
 *                        ▲─────────(-T-wave guard)───────────────────┤ (optional)
 *   up, down ─(delay)─► inter ──(-noise level)──► qrs                │ (optional)
 *                        ▲────────(−gate after each beat)─────────────┘
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
 * - The optional `inter` neuron relays the input spikes that arrive outside a gate after each
 *   beat (the QRS's own spikes, delayed, fall inside it): the activity between QRS complexes —
 *   T waves, muscle noise, motion — and each of its spikes inhibits `qrs`. Unlike `size`, whose
 *   inhibition follows the size of the last beats (and so can hide a small premature beat after
 *   a big one), `inter`'s follows the noise: the spiking form of Pan-Tompkins' noise peak level.
 * - The optional `cand` neuron (search-back) is `qrs` with 2^-searchbackThresholdShift of its
 *   threshold: the same synapses (excitation and every inhibition), so it fires on everything `qrs`
 *   fires on and on smaller complexes too, at any gain. It is the network's second read-out: when a
 *   beat comes later than 1.5 mean RR intervals after the one before, the beat detector reports the
 *   largest `cand` burst between them (detect/beatDetector.ts): Pan-Tompkins' second, halved
 *   threshold and its search-back, over spikes. It recovers small premature beats after large ones
 *   (ventricular runs) that the adaptive threshold holds down.
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
  /** Fixed encoder only: input counts (5 µV) per delta-modulator spike, before the band-pass gain. */
  readonly deltaCountsPerSpike: number;
  /**
   * Level-adaptive delta modulator ("adm", when `admThresholdQ8` is set): Δ = level ·
   * admThresholdQ8 / 256, the level tracked per one-second block with shifts
   * `admUpShift`/`admDownShift`, jumping after `admStepBlocks` blocks beyond `admStepRatioQ8`/256;
   * blocks whose peak is under `admFloorInputCounts` input counts (times the band-pass gain) are
   * flat. See encode/adaptiveDeltaModulator.ts.
   */
  readonly admThresholdQ8?: number;
  readonly admUpShift?: number;
  readonly admDownShift?: number;
  readonly admStepBlocks?: number;
  readonly admStepRatioQ8?: number;
  readonly admFloorInputCounts?: number;
  /** The smallest Δ, in input counts (5 µV) times the band-pass gain: the ADC's resolution. @default 0 (Δ ≥ 1) */
  readonly admMinInputCounts?: number;
  /** Δ during the first block, in 1/256 of the running peak. @default admThresholdQ8 */
  readonly admWarmUpQ8?: number;
  /** Signal quality (detect/signalQuality.ts): noisy above this occupancy (%), good again below the exit one. */
  readonly noisyEnterPercent?: number;
  readonly noisyExitPercent?: number;
  /** Most spikes per sample from the delta modulator. */
  readonly maxSpikesPerSample: number;
  /** `size` neuron: input spikes per output spike (in 1/16 spike units) and leak shift. */
  readonly sizeSpikes16: number;
  readonly sizeMemShift: number;
  /** `size` refractory period, ticks (caps its spikes, hence the inhibition, per QRS). @default 0 */
  readonly sizeRefractoryTicks?: number;
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
  /**
   * Optional `inter` neuron: relays the input spikes (delayed by `interDelayTicks`) except in a
   * gate after each beat (the beat's inhibition decaying over 2^interGateShift ticks), so it
   * fires on the activity between QRS complexes; each of its spikes inhibits `qrs` by
   * `interInhibition64`/64 of the spike weight (a Pan-Tompkins noise level). 0 disables it.
   */
  readonly interInhibition64?: number;
  readonly interDelayTicks?: number;
  readonly interGateShift?: number;
  /**
   * Optional noise-switched front end (encode/noiseSwitchedEncoder.ts): a second, narrower
   * band-pass with its own adaptive encoder, used instead of the first while a high-frequency
   * floor of the raw input says the signal carries muscle noise.
   */
  readonly noiseSwitch?: {
    readonly narrowSmoothSamples: readonly [number, number];
    readonly narrowHighpassShift: number;
    readonly narrowThresholdPerLevelQ8?: number;
    readonly subBlocks: number;
    readonly rank: number;
    readonly thresholdQ8: number;
    readonly aboveCleanQ8: number;
    readonly cleanRiseShift: number;
    readonly votes: number;
    readonly need: number;
  };
  /**
   * Optional search-back (see above and detect/beatDetector.ts): the `cand` neuron's threshold is
   * the `qrs` threshold / 2^thresholdShift; the rest are the beat detector's `searchback` options.
   */
  readonly searchback?: {
    readonly thresholdShift: number;
    readonly rrLimitQ4: number;
    readonly rrBeats: number;
    readonly minGapTicks: number;
    readonly mergeTicks: number;
    readonly maxCandidates: number;
    /** The beat detector's early-beat check (`EarlyBeatOptions` there); absent: none. */
    readonly early?: { readonly earlyQ4: number; readonly pairQ4: number; readonly smallQ8: number };
  };
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

/** Defaults of the level-adaptive encoder's tracking (the design may override them). */
export const DEFAULT_ADM_TRACKING = { admUpShift: 6, admDownShift: 7, admStepBlocks: 4, admStepRatioQ8: 768, admFloorInputCounts: 2 } as const;

/** `meta.deltaModulator` for a design: level-adaptive when `admThresholdQ8` is set, else fixed. */
function deltaModulatorMeta(design: EcgBeatDesign): Record<string, unknown> {
  const [l1, l2] = design.smoothSamples;
  if (design.admThresholdQ8 === undefined) {
    return { thresholdCounts: deltaThresholdCounts(design), maxSpikesPerSample: design.maxSpikesPerSample, refractorySamples: 0 };
  }
  const d = DEFAULT_ADM_TRACKING;
  return {
    adaptive: {
      blockSamples: Math.round(design.tickRateHz),
      floorCounts: Math.max(1, Math.round((design.admFloorInputCounts ?? d.admFloorInputCounts) * l1 * l2)),
      thresholdPerLevelQ8: Math.round(design.admThresholdQ8),
      levelUpShift: design.admUpShift ?? d.admUpShift,
      levelDownShift: design.admDownShift ?? d.admDownShift,
      stepBlocks: design.admStepBlocks ?? d.admStepBlocks,
      stepRatioQ8: design.admStepRatioQ8 ?? d.admStepRatioQ8,
      ...(design.admWarmUpQ8 === undefined ? {} : { warmUpThresholdQ8: Math.round(design.admWarmUpQ8) }),
      ...(design.admMinInputCounts === undefined ? {} : { minThresholdCounts: Math.max(1, Math.round(design.admMinInputCounts * l1 * l2)) }),
    },
    maxSpikesPerSample: design.maxSpikesPerSample,
    refractorySamples: 0,
  };
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
  if ((design.interInhibition64 ?? 0) > 0) {
    // `inter` relays the input spikes that come outside a gate after each beat: the activity
    // between QRS complexes (T waves, noise), which inhibits `qrs` (a noise-level threshold).
    neurons.push({ name: 'inter', threshold: W, memShift: 0, inhShift: design.interGateShift ?? 4, membraneMin: 0 });
    synapses.push(
      { from: 'up', to: 'inter', ...toWeightAndShift(W), delayTicks: design.interDelayTicks ?? 36 },
      { from: 'down', to: 'inter', ...toWeightAndShift(W), delayTicks: design.interDelayTicks ?? 36 },
      { from: 'beat', to: 'inter', ...toWeightAndShift(-(2 ** 20)), delayTicks: 1 },
      { from: 'inter', to: 'qrs', ...toWeightAndShift(-((design.interInhibition64 ?? 0) * W) / 64), delayTicks: 1 },
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
  const searchback = design.searchback;
  if (searchback !== undefined) {
    // `cand`: `qrs` with a lower threshold, fed by copies of every synapse onto `qrs`.
    neurons.push({
      name: 'cand',
      threshold: Math.max(1, Math.round(qrsThreshold / 2 ** searchback.thresholdShift)),
      memShift: design.qrsMemShift,
      excShift: design.qrsExcShift,
      inhShift: design.qrsInhShift,
      membraneMin: -Math.round(design.qrsFloorThresholds * qrsThreshold),
    });
    synapses.push(...synapses.filter((s) => s.to === 'qrs').map((s) => ({ ...s, to: 'cand' })));
  }
  return {
    format: 'edgespike-network',
    version: 1,
    name: 'ecg-beat',
    description,
    stateBits: 24,
    inputs: ['up', 'down'],
    neurons: [
      { name: 'size', threshold: sizeThreshold, memShift: design.sizeMemShift, ...(design.sizeRefractoryTicks === undefined ? {} : { refractoryTicks: design.sizeRefractoryTicks }) },
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
    outputs: searchback === undefined ? ['beat'] : ['beat', 'cand'],
    meta: {
      task: 'ecg-beat',
      tickRateHz: design.tickRateHz,
      inputUnits: 'counts of 5 µV (200 per mV), baseline removed',
      bandpass: { smoothSamples: design.smoothSamples, highpassShift: design.highpassShift },
      deltaModulator: deltaModulatorMeta(design),
      ...(design.noiseSwitch === undefined
        ? {}
        : {
            noiseSwitch: {
              narrowBandpass: { smoothSamples: design.noiseSwitch.narrowSmoothSamples, highpassShift: design.noiseSwitch.narrowHighpassShift },
              ...(design.noiseSwitch.narrowThresholdPerLevelQ8 === undefined ? {} : { narrowThresholdPerLevelQ8: design.noiseSwitch.narrowThresholdPerLevelQ8 }),
              subBlocks: design.noiseSwitch.subBlocks,
              rank: design.noiseSwitch.rank,
              thresholdQ8: design.noiseSwitch.thresholdQ8,
              aboveCleanQ8: design.noiseSwitch.aboveCleanQ8,
              cleanRiseShift: design.noiseSwitch.cleanRiseShift,
              votes: design.noiseSwitch.votes,
              need: design.noiseSwitch.need,
            },
          }),
      ...(design.noisyEnterPercent === undefined
        ? {}
        : { quality: { noisyEnterPercent: design.noisyEnterPercent, noisyExitPercent: design.noisyExitPercent ?? design.noisyEnterPercent } }),
      beat: {
        output: 'beat',
        lookBackTicks: design.lookBackTicks,
        lookAheadTicks: design.lookAheadTicks,
        ...(searchback === undefined
          ? {}
          : {
              searchback: {
                output: 'cand',
                rrLimitQ4: searchback.rrLimitQ4,
                rrBeats: searchback.rrBeats,
                minGapTicks: searchback.minGapTicks,
                mergeTicks: searchback.mergeTicks,
                maxCandidates: searchback.maxCandidates,
                ...(searchback.early === undefined ? {} : { early: { ...searchback.early } }),
              },
            }),
      },
      design,
    },
  };
}

/** Build and validate the network for a design. */
export function buildEcgBeatNetwork(design: EcgBeatDesign): NetworkSpec {
  return parseNetwork(buildEcgBeatNetworkJson(design));
}
