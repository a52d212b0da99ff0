/**
 * The parameters of the ECG beat network's design (`snn/ecgBeatNetwork.ts`) that `tune-ecg`
 * searches, with their ranges, for `coordinateDescent`.
 */
import type { EcgBeatDesign } from '../ecgBeatNetwork.ts';
import type { SearchAxis } from './coordinateDescent.ts';

interface Range {
  readonly key: string;
  readonly min: number;
  readonly max: number;
  readonly multiplicative?: boolean;
}

/**
 * The searched parameters and their ranges. The refractory period stays within 200–278 ms
 * (heart rates up to 216–300 bpm must stay detectable) and the QRS integrator's time constant
 * within 22–178 ms (a QRS complex's length), so the search cannot buy accuracy on these
 * records with a detector that could not follow a fast heart.
 */
const RANGES: readonly Range[] = [
  { key: 'smooth0', min: 2, max: 16 },
  { key: 'smooth1', min: 1, max: 12 },
  { key: 'highpassShift', min: 4, max: 8 },
  { key: 'admThresholdQ8', min: 4, max: 10 },
  { key: 'admUpShift', min: 3, max: 9 },
  { key: 'admDownShift', min: 3, max: 10 },
  { key: 'maxSpikesPerSample', min: 1, max: 12 },
  { key: 'sizeSpikes16', min: 4, max: 4096, multiplicative: true },
  { key: 'sizeMemShift', min: 2, max: 11 },
  { key: 'sizeRefractoryTicks', min: 0, max: 40 },
  { key: 'qrsThreshold16', min: 2, max: 4096, multiplicative: true },
  { key: 'qrsMemShift', min: 3, max: 6 },
  { key: 'qrsExcShift', min: 0, max: 4 },
  { key: 'qrsInhShift', min: 5, max: 11 },
  { key: 'qrsFloorThresholds', min: 0.25, max: 16, multiplicative: true },
  { key: 'inhibition64', min: 0.1, max: 4096, multiplicative: true },
  { key: 'inhibitionDelayTicks', min: 1, max: 100 },
  { key: 'refractoryTicks', min: 72, max: 100 },
  { key: 'tWaveGuard16', min: 0, max: 4096, multiplicative: true },
  { key: 'tWaveGuardDelayTicks', min: 1, max: 80 },
  { key: 'levelInhibition64', min: 0, max: 4096, multiplicative: true },
  { key: 'levelExcShift', min: 6, max: 12 },
  { key: 'levelThreshold16', min: 16, max: 1 << 20, multiplicative: true },
  { key: 'guardInhibition64', min: 0, max: 4096, multiplicative: true },
  { key: 'guardExcShift', min: 3, max: 9 },
  { key: 'guardThreshold16', min: 16, max: 1 << 20, multiplicative: true },
  { key: 'guardDelayTicks', min: 1, max: 100 },
  { key: 'interInhibition64', min: 0, max: 4096, multiplicative: true },
  { key: 'interDelayTicks', min: 0, max: 100 },
  { key: 'interGateShift', min: 2, max: 8 },
];

function get(design: EcgBeatDesign, key: string): number {
  if (key === 'smooth0') return design.smoothSamples[0];
  if (key === 'smooth1') return design.smoothSamples[1];
  return (design as unknown as Record<string, number | undefined>)[key] ?? 0;
}

function set(design: EcgBeatDesign, key: string, value: number): EcgBeatDesign {
  if (key === 'smooth0') return { ...design, smoothSamples: [value, design.smoothSamples[1]] };
  if (key === 'smooth1') return { ...design, smoothSamples: [design.smoothSamples[0], value] };
  return { ...design, [key]: value };
}

/**
 * The optional neurons' parameters are searched only while the neuron is on, the adaptive
 * encoder's only when the design has one.
 */
function isActive(design: EcgBeatDesign, key: string): boolean {
  if (key.startsWith('adm')) return design.admThresholdQ8 !== undefined;
  if (key.startsWith('level') && key !== 'levelInhibition64') return (design.levelInhibition64 ?? 0) > 0;
  if (key.startsWith('guard') && key !== 'guardInhibition64') return (design.guardInhibition64 ?? 0) > 0;
  if (key.startsWith('inter') && key !== 'interInhibition64') return (design.interInhibition64 ?? 0) > 0;
  return true;
}

/** The ECG beat design's search axes, in search order. */
export const ECG_BEAT_AXES: readonly SearchAxis<EcgBeatDesign>[] = RANGES.map((r) => ({
  ...r,
  get: (d) => get(d, r.key),
  set: (d, v) => set(d, r.key, v),
  active: (d) => isActive(d, r.key),
}));
