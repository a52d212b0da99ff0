/**
 * `npm run export-c-check [-- RECORD...]`: the exported C against the TypeScript kernels on every
 * MIT-BIH record of the shared data sets (or the records given), primed and unprimed: identical
 * beat lists and input/neuron spike counts, one line per record; then the state's size and the
 * object code's size. Exit 1 when any record differs, 3 when no C compiler is found.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildEcgHarness, ecgStateBytes, exportEcgC, findCCompiler, runEcgHarness, STRICT_C_FLAGS, writeSamplesFile } from '../src/app/exportC.ts';
import { createQrsBandpass, processQrsBandpass } from '../src/condition/qrsBandpass.ts';
import { createDeltaEncoder, processDeltaEncoder } from '../src/encode/deltaEncoder.ts';
import { detectEncodedEcg, runEcgKernels, type EcgKernelRun } from '../src/pipeline/ecgKernels.ts';
import { loadEcgModel, type EcgModel } from '../src/pipeline/ecgModel.ts';
import { readWholeRecord } from '../src/sources/readWhole.ts';

const MITDB = resolve(import.meta.dirname, '..', '..', 'shared', 'datasets', 'mitdb');
const ALL = ['101', '102', '104', '106', '108', '109', '112', '114', '115', '116', '118', '119', '122', '124', '201', '203', '205', '207', '208', '209', '215', '220', '223', '230'];

function runUnprimed(model: EcgModel, samples: Int32Array): EcgKernelRun {
  const signal = new Int32Array(samples.length);
  processQrsBandpass(createQrsBandpass(model.bandpass), samples, samples.length, signal);
  const spikes = new Uint8Array(2 * samples.length);
  const spikeCount = processDeltaEncoder(createDeltaEncoder(model.encoder), signal, signal.length, spikes);
  return detectEncodedEcg(model, { signal, spikes, spikeCount }, model.tickRateHz);
}

const same = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

async function main(): Promise<number> {
  const cc = findCCompiler();
  if (cc === undefined) {
    console.log('export-c-check: no C compiler (cc or gcc) on PATH');
    return 3;
  }
  const records = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ALL.map((r) => join(MITDB, r));
  const dir = mkdtempSync(join(tmpdir(), 'edgespike-export-c-check-'));
  try {
    const model = loadEcgModel();
    const exported = exportEcgC(dir);
    const primed = buildEcgHarness(cc, dir, true);
    const unprimed = buildEcgHarness(cc, dir, false);
    console.log(`export-c-check: model "${exported.modelName}" (SHA-256 ${exported.modelSha256.slice(0, 12)}...), ${cc} ${STRICT_C_FLAGS.join(' ')}`);
    console.log('record  beats  input spikes  neuron spikes  primed  unprimed (beats, input, neuron spikes)');
    let failures = 0;
    let beats = 0;
    for (const path of records) {
      if (!existsSync(`${path}.hea`)) {
        console.log(`${path}: not found`);
        failures++;
        continue;
      }
      const { samples } = await readWholeRecord(path);
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
