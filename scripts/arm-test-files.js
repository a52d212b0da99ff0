#!/usr/bin/env node
/**
 * Lists the vitest files that `npm run test:arm64` (and, shorter, `test:armv7`) runs under qemu:
 *   node scripts/arm-test-files.js [arm64|armv7]          (default arm64)
 * arm64: every tests/**\/*.test.ts
 * except those that start child processes (an emulated `node` cannot start another ARM
 * program without binfmt_misc, so the CLI tests that run `node bin/edgespike.js`, and anything
 * like them, cannot pass there). A file is left out when it is under tests/cli/, or when it, or
 * a tests/helpers/ module it imports, mentions child_process, spawn, exec, fork or socat.
 * Also left out (DATASET_SCALE): the few accuracy measurements over whole shared data sets,
 * and the development tools that do not run on the Pi (the float training and its data
 * augmentation, the ECG synthesiser that made the fixtures), a memory measurement, and the
 * outputs (tests/sinks: text views, the live view's HTTP server, plot specs), whose code has
 * no arithmetic that could differ between machines. They take minutes
 * under emulation and prove nothing more about arm64 than the kernel, pipeline and golden tests
 * that do run, and the byte-identical beats of step 2: every stage is integer arithmetic, so the
 * same inputs give the same spikes on any machine.
 * armv7 (ARMV7_FILES): of those, only the fixed-point kernels (delta modulators, LIF network and
 * the golden membrane hash, beat, heart-rate and AF detectors, QRS band-pass, resampler, FFT),
 * the binary formats (WFDB signal and annotation, EDF header and writer) and the serial source:
 * the code a 32-bit ARM could get wrong (integer and bit arithmetic, byte layouts) once each,
 * in about a minute under qemu-arm, so that CI stays under 15 minutes. The longer tests of the
 * same kernels on whole records (LIF engine, cochlea, ECG pipeline, WFDB record source, the
 * word classifier) run on x86-64 and under arm64; the armv7 pipeline is proven by step 2's
 * byte-identical beats.
 *
 * stdout: the files to run, one a line. stderr: the files left out and why.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Accuracy over whole shared data sets (minutes under qemu; the x86-64 run has them). */
const DATASET_SCALE = new Map([
  ['tests/pipeline/audioStream.test.ts', '250 FSDD clips as streams, five conditions'],
  ['tests/pipeline/levelInvariance.test.ts', 'all 24 MIT-BIH records at gain steps'],
  ['tests/pipeline/signalQuality.test.ts', 'all 24 MIT-BIH records with nst noise'],
  ['tests/filterbank/fsdd.test.ts', 'FSDD clips through the cochlea at many levels'],
  ['tests/pipeline/afEvaluate.test.ts', 'MIT-BIH records through the pipeline for AF scores (the AF kernel\'s own tests run)'],
  ['tests/pipeline/hrvEvaluation.test.ts', 'HRV of all 24 MIT-BIH records against NeuroKit2, float (checked on x86-64)'],
  ['tests/detect/hrv.test.ts', 'HRV in float against NeuroKit2 on all 24 MIT-BIH records (checked on x86-64; the FFT\'s tests run)'],
  ['tests/synth/afRecords.test.ts', 'synthetic AF records made by the float ECG synthesiser, a development tool'],
  // Training runs on a workstation, not on the Pi; its float arithmetic is checked on x86-64.
  ['tests/pipeline/audioTraining.test.ts', 'a whole training in float, a development tool'],
  ['tests/pipeline/trainWorkerPool.test.ts', 'training on worker threads, a development tool'],
  ['tests/pipeline/audioAugment.test.ts', "the training data's spike-level augmentation, a development tool"],
  ['tests/pipeline/audioBackground.test.ts', "the training data's background clips (18 s under qemu), a development tool (the word detector's own tests run)"],
  ['tests/snn/train/rsnn.test.ts', "the trainer's float model, a development tool"],
  ['tests/snn/train/rsnnEngine.test.ts', "the trainer's float model against the engine (the engine's own tests run)"],
  ['tests/snn/train/trainer.test.ts', 'the trainer, a development tool'],
  ['tests/synth/ecgsyn.test.ts', 'the float ECG synthesiser that made the fixtures, a development tool'],
  // Measurements and renderings with no arithmetic of their own (the kernels they use are tested).
  ['tests/bench/replayMemory.test.ts', 'a resident-memory measurement'],
  ['tests/pipeline/plotTrace.test.ts', 'the traces a plot draws (the kernels are tested)'],
  ['tests/pipeline/audioStress.test.ts', 'clips under gains and noise (the conditions and kernels are tested)'],
]);
/**
 * The longest runs under qemu (about 75 s of the arm64 run's 206 s) whose arithmetic the arm64
 * run checks with shorter files too; left out so that CI (x86-64, arm64 and armv7) stays under
 * 15 minutes. The x86-64 run has them.
 */
const LONG_UNDER_QEMU = new Map([
  ['tests/filterbank/cochlea.test.ts', 'the cochlea on many designs and levels (29 s under qemu); cochleaFast and audioClassify run the shipped design'],
  ['tests/filterbank/cochleaAgc.test.ts', "the cochlea's gain control over many levels (11 s); levelAgc and cochleaFast run"],
  ['tests/snn/lifEngine.test.ts', 'every delivery against the oracle on random networks (27 s); lifDelivery, network, raster and the golden membrane hash run'],
  ['tests/snn/floatReference.test.ts', 'the float reference model (7 s), a development check'],
  ['tests/sources/wfdbRecord.test.ts', 'WFDB records read whole and in chunks (19 s); formats/wfdb/signal decodes every format and arm-beats.js reads the fixture record'],
  ['tests/pipeline/ecgPipeline.test.ts', 'the RxJS pipeline in many chunkings (17 s); arm-beats.js runs the pipeline on the fixture and compares its beats with x86-64, ecgChain runs'],
]);
/** The short armv7 list (see above); each must also pass the arm64 selection. */
const ARMV7_FILES = new Set([
  'tests/core/fixedPoint.test.ts',
  'tests/core/fft.test.ts',
  'tests/encode/deltaModulator.test.ts',
  'tests/encode/adaptiveDeltaModulator.test.ts',
  'tests/condition/qrsBandpass.test.ts',
  'tests/condition/resample.test.ts',
  'tests/snn/ecgBeatGolden.test.ts',
  'tests/snn/lifDelivery.test.ts',
  'tests/snn/network.test.ts',
  'tests/detect/beatDetector.test.ts',
  'tests/detect/heartRate.test.ts',
  'tests/detect/afDetector.test.ts',
  'tests/formats/wfdb/signal.test.ts',
  'tests/formats/wfdb/annotation.test.ts',
  'tests/formats/edf/header.test.ts',
  'tests/formats/edf/writer.test.ts',
  'tests/sources/serialSource.test.ts',
]);
/** Folders of outputs with no arithmetic of their own: text views, the live view's HTTP server, plots. */
const OUTPUT_FOLDERS = ['tests/sinks/'];
const SPAWNS = /\bchild_process\b|\bspawn(Sync)?\s*\(|\bexec(File|Sync|FileSync)?\s*\(|\bfork\s*\(|\bsocat\b|\bexeca\b/;

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Relative imports of a file, resolved to absolute paths. */
function localImports(file) {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/\bfrom\s+['"](\.{1,2}\/[^'"]+)['"]|\bimport\s*\(\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1] ?? m[2]);
  return specs.map((s) => resolve(dirname(file), s));
}

const memo = new Map();
/** Why a test file or helper starts processes, or null; follows imports of tests/ and scripts/ modules. */
function spawnReason(file, seen = new Set()) {
  if (memo.has(file)) return memo.get(file);
  if (seen.has(file)) return null;
  seen.add(file);
  let reason = null;
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const hit = SPAWNS.exec(text);
  if (hit) reason = `${relative(root, file)} uses ${hit[0].replace(/\s*\($/, '')}`;
  else {
    for (const dep of localImports(file)) {
      if (!relative(join(root, 'tests'), dep).startsWith('..') || !relative(join(root, 'scripts'), dep).startsWith('..')) {
        const r = spawnReason(dep, seen);
        if (r) {
          reason = r;
          break;
        }
      }
    }
  }
  memo.set(file, reason);
  return reason;
}

const arch = process.argv[2] ?? 'arm64';
if (arch !== 'arm64' && arch !== 'armv7') {
  console.error(`usage: node scripts/arm-test-files.js [arm64|armv7] (not ${arch})`);
  process.exit(2);
}
const files = walk(join(root, 'tests'))
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => relative(root, f))
  .sort();
const selected = [];
for (const f of files) {
  if (f.startsWith('tests/cli/')) {
    console.error(`  left out ${f}: CLI test (runs the CLI as a child process)`);
    continue;
  }
  if (OUTPUT_FOLDERS.some((d) => f.startsWith(d))) {
    console.error(`  left out ${f}: an output (text, HTTP, plot) with no arithmetic of its own; run on x86-64`);
    continue;
  }
  if (DATASET_SCALE.has(f)) {
    console.error(`  left out ${f}: data-set scale (${DATASET_SCALE.get(f)}); run on x86-64`);
    continue;
  }
  if (LONG_UNDER_QEMU.has(f)) {
    console.error(`  left out ${f}: long under qemu (${LONG_UNDER_QEMU.get(f)}); run on x86-64`);
    continue;
  }
  const reason = spawnReason(join(root, f));
  if (reason) console.error(`  left out ${f}: starts child processes (${reason})`);
  else selected.push(f);
}
if (arch === 'armv7') {
  const missing = [...ARMV7_FILES].filter((f) => !selected.includes(f));
  if (missing.length > 0) {
    console.error(`armv7 list: not test files of the arm64 selection: ${missing.join(', ')} (update ARMV7_FILES)`);
    process.exit(1);
  }
  console.error(`  armv7 runs ${ARMV7_FILES.size} of the ${selected.length} arm64 files (ARMV7_FILES); the others run under arm64`);
}
for (const f of selected) if (arch === 'arm64' || ARMV7_FILES.has(f)) console.log(f);
