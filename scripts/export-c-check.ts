/**
 * `npm run export-c-check [-- [--network FILE] [--noise NAMES --snr DB] [RECORD...]]`: the
 * exported C against the TypeScript kernels on every MIT-BIH record of the shared data sets (or
 * the records given), primed and unprimed: identical beat lists and input/neuron spike counts,
 * one line per record; then the state's size and the object code's size.
 *   --network FILE   the ECG model (@default the bundled one; the noise-switched network exports too)
 *   --noise NAMES    mix noise stress test recordings in first (e.g. bw,ma, from the nstdb folder
 *                    beside the records' folder), as `eval --noise` does: 5 clean minutes, then
 *                    2 min of noise and 2 without in turn, scaled on the record's normal beats
 *   --snr DB         the noise's SNR (@default 6)
 * Exit 1 when any record differs, 2 for a bad command line, 3 when no C compiler is found.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildEcgHarness, ecgStateBytes, exportEcgC, findCCompiler, runEcgHarness, STRICT_C_FLAGS, writeSamplesFile } from '../src/app/exportC.ts';
import { stressRecording } from '../src/condition/noiseStress.ts';
import { createQrsBandpass, processQrsBandpass } from '../src/condition/qrsBandpass.ts';
import { createDeltaEncoder, processDeltaEncoder } from '../src/encode/deltaEncoder.ts';
import { createNoiseSwitchedEncoder, processNoiseSwitchedEncoder } from '../src/encode/noiseSwitchedEncoder.ts';
import { beatSamples, parseMitAnnotations } from '../src/formats/wfdb/annotation.ts';
import { detectEncodedEcg, runEcgKernels, type EcgKernelRun } from '../src/pipeline/ecgKernels.ts';
import { DEFAULT_ECG_MODEL_PATH, loadEcgModel, type EcgModel } from '../src/pipeline/ecgModel.ts';
import { defaultNoiseDir, loadNoiseMix, type NoiseMix } from '../src/pipeline/noiseRecordings.ts';
import { readWholeRecord } from '../src/sources/readWhole.ts';

const MITDB = resolve(import.meta.dirname, '..', '..', 'shared', 'datasets', 'mitdb');
const ALL = ['101', '102', '104', '106', '108', '109', '112', '114', '115', '116', '118', '119', '122', '124', '201', '203', '205', '207', '208', '209', '215', '220', '223', '230'];

/** The TypeScript chain without priming (what EDGESPIKE_ECG_PRIME=0 must match); a switched model's encoder unprimed. */
function runUnprimed(model: EcgModel, samples: Int32Array): EcgKernelRun {
  const signal = new Int32Array(samples.length);
  const spikes = new Uint8Array(2 * samples.length);
  if (model.noiseSwitch !== undefined) {
    const spikeCount = processNoiseSwitchedEncoder(createNoiseSwitchedEncoder(model.noiseSwitch), samples, samples.length, signal, spikes);
    return detectEncodedEcg(model, { signal, spikes, spikeCount }, model.tickRateHz);
  }
  processQrsBandpass(createQrsBandpass(model.bandpass), samples, samples.length, signal);
  const spikeCount = processDeltaEncoder(createDeltaEncoder(model.encoder), signal, signal.length, spikes);
  return detectEncodedEcg(model, { signal, spikes, spikeCount }, model.tickRateHz);
}

const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/** A record's samples, with the noise mixed in at `snrDb` when a mix is given (S on its normal beats, as eval does). */
async function recordSamples(path: string, noise: NoiseMix | undefined, snrDb: number): Promise<Int32Array> {
  const { info, samples } = await readWholeRecord(path);
  if (noise === undefined) return samples;
  const annotations = parseMitAnnotations(readFileSync(`${path}.atr`));
  const normal = annotations.filter((a) => a.code === 1).map((a) => a.sample);
  return stressRecording(samples, {
    sampleRateHz: info.sampleRateHz,
    countsPerAdu: 200 / info.gainAduPerUnit,
    noise: { samples: noise.samples, snrDb, normalBeats: normal.length > 0 ? normal : beatSamples(annotations) },
  });
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({ options: { network: { type: 'string' }, noise: { type: 'string' }, snr: { type: 'string' } }, allowPositionals: true });
  } catch (error) {
    console.log(`export-c-check: ${(error as Error).message}; usage: npm run export-c-check -- [--network FILE] [--noise bw,ma --snr 6] [RECORD...]`);
    return 2;
  }
  const { network, noise: noiseNames, snr } = args.values;
  const snrDb = snr === undefined ? 6 : Number(snr);
  if (!Number.isFinite(snrDb) || (snr !== undefined && noiseNames === undefined)) {
    console.log(`export-c-check: --snr needs a number of dB and --noise NAMES (got --snr ${snr})`);
    return 2;
  }
  const cc = findCCompiler();
  if (cc === undefined) {
    console.log('export-c-check: no C compiler (cc or gcc) on PATH');
    return 3;
  }
  const records = args.positionals.length > 0 ? args.positionals : ALL.map((r) => join(MITDB, r));
  const noise = noiseNames === undefined ? undefined : await loadNoiseMix(noiseNames.split(','), defaultNoiseDir(records[0] as string), 0);
  const modelPath = network ?? DEFAULT_ECG_MODEL_PATH;
  const dir = mkdtempSync(join(tmpdir(), 'edgespike-export-c-check-'));
  try {
    const model = loadEcgModel(modelPath);
    const exported = exportEcgC(dir, modelPath);
    const primed = buildEcgHarness(cc, dir, true);
    const unprimed = buildEcgHarness(cc, dir, false);
    console.log(`export-c-check: model "${exported.modelName}" (${modelPath}, SHA-256 ${exported.modelSha256.slice(0, 12)}...), ${cc} ${STRICT_C_FLAGS.join(' ')}`);
    if (noise !== undefined) console.log(`records with ${noise.name} at ${snrDb} dB (the noise stress test's protocol, as eval --noise)`);
    console.log('record  beats  input spikes  neuron spikes  primed  unprimed (beats, input, neuron spikes)');
    let failures = 0;
    let beats = 0;
    for (const path of records) {
      if (!existsSync(`${path}.hea`)) {
        console.log(`${path}: not found`);
        failures++;
        continue;
      }
      const samples = await recordSamples(path, noise, snrDb);
      const file = join(dir, 'samples.bin');
      writeSamplesFile(file, samples);
      const verdict = (c: ReturnType<typeof runEcgHarness>, ts: EcgKernelRun): string =>
        same(c.beats, ts.beats) && c.inputSpikes === ts.inputSpikes && c.neuronSpikes === ts.neuronSpikes && c.mostPerCall <= c.maxBeats
          ? 'identical'
          : `DIFFERENT (C ${c.beats.length} beats, ${c.inputSpikes}, ${c.neuronSpikes}; TS ${ts.beats.length}, ${ts.inputSpikes}, ${ts.neuronSpikes})`;
      const ts = runEcgKernels(model, samples, model.tickRateHz);
      const p = verdict(runEcgHarness(primed, file), ts);
      const u = verdict(runEcgHarness(unprimed, file), runUnprimed(model, samples));
      if (p !== 'identical' || u !== 'identical') failures++;
      beats += ts.beats.length;
      const name = path.split('/').at(-1) as string;
      console.log(`${name.padEnd(6)} ${String(ts.beats.length).padStart(6)} ${String(ts.inputSpikes).padStart(13)} ${String(ts.neuronSpikes).padStart(14)}  ${p.padEnd(9)} ${u}`);
    }
    for (const prime of [1, 0]) {
      const object = join(dir, `edgespike_ecg-${prime}.o`);
      execFileSync(cc, [...STRICT_C_FLAGS, `-DEDGESPIKE_ECG_PRIME=${prime}`, '-c', exported.sourcePath, '-o', object]);
      const text = execFileSync('size', [object], { encoding: 'utf8' }).trim().split('\n').at(-1)?.trim().split(/\s+/)[0];
      console.log(`EDGESPIKE_ECG_PRIME=${prime}: sizeof(edgespike_ecg_t) ${ecgStateBytes(prime === 1 ? primed : unprimed)} bytes, code (text of the -O2 .o) ${text} bytes`);
    }
    console.log(`${records.length - failures} of ${records.length} records identical (${beats} beats), primed and unprimed`);
    return failures === 0 ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
