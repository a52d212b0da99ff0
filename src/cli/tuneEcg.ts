/**
 * `edgespike tune-ecg <mitdb directory>`: the procedure that made the bundled ECG network.
 * Coordinate descent over the design parameters of `snn/ecgBeatNetwork.ts`, minimising
 * false negatives + false positives on the tuning records only; the held-out records are
 * scored once at the end so the report shows the figure on records the search never saw.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../core/errors.ts';
import { beatSamples, parseMitAnnotations } from '../formats/wfdb/annotation.ts';
import { matchBeats, poolScores, type BeatScore } from '../detect/beatMatching.ts';
import { buildEcgBeatNetworkJson, type EcgBeatDesign } from '../snn/ecgBeatNetwork.ts';
import { parseNetwork } from '../snn/network.ts';
import { loadEcgModel, toEcgModel, DEFAULT_ECG_MODEL_PATH, type EcgModel } from '../pipeline/ecgModel.ts';
import { detectEncodedEcg, encodeEcg } from '../pipeline/ecgKernels.ts';
import { readWholeRecord } from '../sources/readWhole.ts';
import { addNoiseAtSnr } from '../condition/noiseStress.ts';
import { parseCommandArgs, parsePositiveInt } from './args.ts';

export const TUNE_ECG_HELP = `Usage: edgespike tune-ecg <mitdb directory> [options]

Developer command: re-tune the ECG beat network's design parameters on MIT-BIH records
(channel 0) by coordinate descent, starting from the bundled network's design.
The search minimises FN + FP on the tuning records; the held-out records are only scored
at the end. Writes the network file with its design and the tuning report in "meta".

Options:
  --holdout LIST   comma-separated records kept out of the search. Default: ${'101,106,118,203,215,230'}
  --sweeps N       most passes over the parameters. Default: 6
  --out FILE       where to write the network. Default: the bundled network file
  --start FILE     network whose design to start from. Default: the bundled network
  --noise DIR      also score copies of the tuning records with the muscle-artefact noise
                   DIR/ma (MIT-BIH NST) added at --noise-snr dB, so the search pays for
                   false beats in noise too (the held-out records get their own noisy copies)
  --noise-snr DB   signal-to-noise ratio of those copies. Default: 12
  -h, --help       show this help
`;

export const DEFAULT_HOLDOUT = ['101', '106', '118', '203', '215', '230'];

const MITDB_RECORDS = [
  '101', '102', '104', '106', '108', '109', '112', '114', '115', '116', '118', '119',
  '122', '124', '201', '203', '205', '207', '208', '209', '215', '220', '223', '230',
];

interface Loaded {
  readonly name: string;
  readonly samples: Int32Array;
  readonly reference: number[];
  readonly sampleRateHz: number;
}

async function loadRecord(dir: string, name: string): Promise<Loaded> {
  const { info, samples } = await readWholeRecord(join(dir, name));
  const reference = beatSamples(parseMitAnnotations(await readFile(join(dir, `${name}.atr`))));
  return { name, samples, reference, sampleRateHz: info.sampleRateHz };
}

type Numeric = { [K in keyof EcgBeatDesign]-?: NonNullable<EcgBeatDesign[K]> extends number ? K : never }[keyof EcgBeatDesign];

interface Axis {
  readonly key: Numeric | 'smooth0' | 'smooth1';
  readonly min: number;
  readonly max: number;
  /** Multiplicative steps (scale parameters) or ±1, ±2, ±4 (integers). */
  readonly multiplicative?: boolean;
}

const AXES: readonly Axis[] = [
  { key: 'smooth0', min: 2, max: 16 },
  { key: 'smooth1', min: 1, max: 12 },
  { key: 'highpassShift', min: 4, max: 8 },
  { key: 'deltaCountsPerSpike', min: 1, max: 200, multiplicative: true },
  { key: 'maxSpikesPerSample', min: 1, max: 12 },
  { key: 'sizeSpikes16', min: 4, max: 4096, multiplicative: true },
  { key: 'sizeMemShift', min: 2, max: 11 },
  { key: 'qrsThreshold16', min: 2, max: 4096, multiplicative: true },
  { key: 'qrsMemShift', min: 1, max: 7 },
  { key: 'qrsExcShift', min: 0, max: 4 },
  { key: 'qrsInhShift', min: 5, max: 11 },
  { key: 'qrsFloorThresholds', min: 0.25, max: 16, multiplicative: true },
  { key: 'inhibition64', min: 0.1, max: 4096, multiplicative: true },
  { key: 'inhibitionDelayTicks', min: 1, max: 100 },
  { key: 'refractoryTicks', min: 40, max: 120 },
  { key: 'tWaveGuard16', min: 0, max: 4096, multiplicative: true },
  { key: 'tWaveGuardDelayTicks', min: 1, max: 80 },
  { key: 'lookBackTicks', min: 0, max: 40 },
  { key: 'lookAheadTicks', min: 0, max: 100 },
];

/** Axes of the optional `level` and `guard` neurons, searched when the start design has them. */
const OPTIONAL_AXES: readonly Axis[] = [
  { key: 'levelInhibition64', min: 0.01, max: 4096, multiplicative: true },
  { key: 'levelExcShift', min: 6, max: 12 },
  { key: 'levelThreshold16', min: 16, max: 1 << 20, multiplicative: true },
  { key: 'guardInhibition64', min: 0.01, max: 4096, multiplicative: true },
  { key: 'guardExcShift', min: 3, max: 9 },
  { key: 'guardThreshold16', min: 16, max: 1 << 20, multiplicative: true },
  { key: 'guardDelayTicks', min: 1, max: 100 },
];

function get(design: EcgBeatDesign, key: Axis['key']): number {
  if (key === 'smooth0') return design.smoothSamples[0];
  if (key === 'smooth1') return design.smoothSamples[1];
  return design[key] ?? 0;
}

function set(design: EcgBeatDesign, key: Axis['key'], value: number): EcgBeatDesign {
  if (key === 'smooth0') return { ...design, smoothSamples: [value, design.smoothSamples[1]] };
  if (key === 'smooth1') return { ...design, smoothSamples: [design.smoothSamples[0], value] };
  return { ...design, [key]: value };
}

function candidates(axis: Axis, value: number): number[] {
  if (axis.multiplicative === true) {
    if (value === 0) return [1, 4, 16, 64];
    const c = [0.5, 0.71, 0.84, 1.19, 1.41, 2].map((f) => Math.round(value * f * 100) / 100);
    if (axis.min === 0) c.push(0);
    return c.filter((v) => (v >= axis.min || v === 0) && v <= axis.max && v !== value);
  }
  return [-4, -2, -1, 1, 2, 4].map((d) => value + d).filter((v) => v >= axis.min && v <= axis.max);
}

function modelOf(design: EcgBeatDesign): EcgModel {
  return toEcgModel(parseNetwork(buildEcgBeatNetworkJson(design)));
}

export async function tuneEcgCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('tune-ecg', argv, {
    holdout: { type: 'string' },
    sweeps: { type: 'string' },
    out: { type: 'string' },
    start: { type: 'string' },
    noise: { type: 'string' },
    'noise-snr': { type: 'string' },
  });
  if (values.help === true) {
    process.stdout.write(TUNE_ECG_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('tune-ecg needs the mitdb directory; see edgespike tune-ecg --help');
  const dir = positionals[0] as string;
  const holdout = values.holdout?.split(',') ?? DEFAULT_HOLDOUT;
  const sweeps = parsePositiveInt('sweeps', values.sweeps) ?? 6;
  const startModel = loadEcgModel(values.start ?? DEFAULT_ECG_MODEL_PATH);
  let design = startModel.network.meta.design as EcgBeatDesign;
  const log = (line: string): void => void process.stderr.write(line + '\n');

  log(`loading ${MITDB_RECORDS.length} records from ${dir}`);
  const records: Loaded[] = await Promise.all(MITDB_RECORDS.map((name) => loadRecord(dir, name)));
  const cleanRecords = [...records];
  if (values.noise !== undefined) {
    const snr = Number(values['noise-snr'] ?? 12);
    const { samples: ma } = await readWholeRecord(join(values.noise, 'ma'));
    log(`adding muscle noise at ${snr} dB to copies of every record`);
    cleanRecords.forEach((r, i) => {
      records.push({ ...r, name: `${r.name}+ma`, samples: addNoiseAtSnr(r.samples, r.reference, r.sampleRateHz, ma, snr, 23456 * i) });
    });
  }
  const isHeld = (r: Loaded): boolean => holdout.includes(r.name.replace(/\+ma$/, ''));
  const tuning = records.filter((r) => !isHeld(r));
  const held = records.filter(isHeld);

  // Front-end outputs depend on a few parameters only: cache them per record.
  const encodings = new Map<string, ReturnType<typeof encodeEcg>>();
  const frontKey = (d: EcgBeatDesign): string =>
    `${d.smoothSamples.join('x')}/${d.highpassShift}/${d.deltaCountsPerSpike}/${d.maxSpikesPerSample}`;
  const score = (d: EcgBeatDesign, set: readonly Loaded[]): { pooled: BeatScore; per: Map<string, BeatScore> } => {
    const model = modelOf(d);
    const per = new Map<string, BeatScore>();
    for (const r of set) {
      const key = `${r.name}:${frontKey(d)}`;
      let encoded = encodings.get(key);
      if (encoded === undefined) {
        if (encodings.size > 400) encodings.clear();
        encoded = encodeEcg(model, r.samples);
        encodings.set(key, encoded);
      }
      const run = detectEncodedEcg(model, encoded, r.sampleRateHz);
      per.set(r.name, matchBeats(run.beats, r.reference, { sampleRateHz: r.sampleRateHz }));
    }
    return { pooled: poolScores([...per.values()]), per };
  };
  const errors = (s: BeatScore): number => s.falseNegatives + s.falsePositives;

  let best = score(design, tuning).pooled;
  log(`start: FN ${best.falseNegatives} FP ${best.falsePositives}`);
  for (let sweep = 0; sweep < sweeps; sweep++) {
    let improved = false;
    const axes = [...AXES, ...OPTIONAL_AXES.filter((a) => get(design, a.key.startsWith('level') ? 'levelInhibition64' : 'guardInhibition64') > 0)];
    for (const axis of axes) {
      for (const value of candidates(axis, get(design, axis.key))) {
        const trial = set(design, axis.key, value);
        let result: BeatScore;
        try {
          result = score(trial, tuning).pooled;
        } catch {
          continue; // a combination the network format rejects (e.g. a weight out of range)
        }
        if (errors(result) < errors(best)) {
          design = trial;
          best = result;
          improved = true;
          log(`sweep ${sweep + 1}: ${axis.key} = ${value}: FN ${result.falseNegatives} FP ${result.falsePositives}`);
        }
      }
    }
    if (!improved) break;
  }

  const fmt = (s: BeatScore) => ({
    fn: s.falseNegatives,
    fp: s.falsePositives,
    sensitivity: Math.round(s.sensitivity * 1e5) / 1e5,
    positivePredictivity: Math.round(s.positivePredictivity * 1e5) / 1e5,
  });
  const noisy = (r: Loaded): boolean => r.name.endsWith('+ma');
  const heldScore = score(design, held.filter((r) => !noisy(r)));
  const all = score(design, cleanRecords);
  const noisyScore = (set: readonly Loaded[]) => (set.some(noisy) ? fmt(score(design, set.filter(noisy)).pooled) : undefined);
  const report = {
    procedure: 'coordinate descent on FN + FP of the tuning records (edgespike tune-ecg)',
    tuningRecords: tuning.map((r) => r.name),
    heldOutRecords: held.map((r) => r.name),
    tuningObjective: fmt(best),
    heldOut: fmt(heldScore.pooled),
    all: fmt(all.pooled),
    tuningWithNoise: noisyScore(tuning),
    heldOutWithNoise: noisyScore(held),
    noise: values.noise === undefined ? undefined : `MIT-BIH NST muscle artefact (ma) at ${values['noise-snr'] ?? 12} dB`,
  };
  const neuronCount = (buildEcgBeatNetworkJson(design).neurons as unknown[]).length;
  const json = buildEcgBeatNetworkJson(
    design,
    `ECG beat detector: delta-modulated QRS band-pass spikes into a ${neuronCount}-neuron fixed-point LIF network whose inhibition is an adaptive threshold.`,
  );
  (json.meta as Record<string, unknown>).tuning = report;
  const out = values.out ?? DEFAULT_ECG_MODEL_PATH;
  await writeFile(out, JSON.stringify(json, null, 2) + '\n');
  log(`held out: FN ${heldScore.pooled.falseNegatives} FP ${heldScore.pooled.falsePositives}`);
  log(`all 24: Se ${(100 * all.pooled.sensitivity).toFixed(2)} +P ${(100 * all.pooled.positivePredictivity).toFixed(2)}`);
  log(`wrote ${out}`);
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  return 0;
}
