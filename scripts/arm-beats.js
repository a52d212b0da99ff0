#!/usr/bin/env node
/**
 * Prints everything the ECG pipeline computes on a record, in a fixed text form, so that two
 * machines can be compared byte for byte (`npm run test:arm64` and `test:armv7` run it on x86-64
 * and on ARM under qemu and `cmp` the two outputs). Runs the compiled JavaScript in dist/ (`npm run
 * build`), which is what bin/edgespike.js runs on a Raspberry Pi; nothing machine-dependent
 * (architecture, time, memory) is printed.
 *
 *   node scripts/arm-beats.js [record]      (default: the bundled synthetic fixture)
 *
 * Printed: for the single-band network (the one tests/golden/ecg-beat-fixture.json holds), as in
 * tests/snn/ecgBeatGolden.test.ts, the SHA-256 of the band-passed signal and of the UP/DOWN
 * spikes, of every neuron's membrane at every tick, the spike count of each neuron, the synaptic
 * events and the beat-neuron spike ticks of the interpreted engine; the same lines, prefixed
 * "default", for the default (noise-switched) network; then, for the default, the beats of the
 * compiled engine (plain kernel chain) and every beat, heart-rate and quality event of the RxJS
 * pipeline (`ecgPipeline`, as `replay` emits them), with numbers printed exactly (shortest
 * round-trip form).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { lastValueFrom, toArray } from 'rxjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
if (!existsSync(join(dist, 'cli.js'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
const load = (path) => import(pathToFileURL(join(dist, path)).href);
const { encodeEcg, runEcgKernels } = await load('pipeline/ecgKernels.js');
const { loadEcgModel, SINGLE_BAND_ECG_MODEL_PATH } = await load('pipeline/ecgModel.js');
const { ecgPipeline } = await load('pipeline/ecgPipeline.js');
const { createLifEngine } = await load('snn/lifEngine.js');
const { createSpikeEvents } = await load('snn/lifNetwork.js');
const { readWholeRecord } = await load('sources/readWhole.js');
const { openWfdbRecord } = await load('sources/wfdbRecord.js');
const { recordSource } = await load('sources/recordSource.js');

const record = process.argv[2] ?? join(root, 'fixtures', 'synthetic-ecg', 'ecgsyn_360hz');
const sha256 = (typed) => createHash('sha256').update(new Uint8Array(typed.buffer, typed.byteOffset, typed.byteLength)).digest('hex');
const out = [];
const line = (s) => out.push(s);

const model = loadEcgModel();
const { info, samples } = await readWholeRecord(record);
line(`record ${relative(root, record) || record}`);
line(`sampleRateHz ${info.sampleRateHz}`);
line(`samples ${samples.length} sha256 ${sha256(samples)}`);
line(`network ${model.network.name} tickRateHz ${model.tickRateHz}`);

// Generic engine loop with a full membrane trace: for the single-band network exactly what the
// golden test hashes (scripts/test-arm.sh checks that line against the golden file).
const trace = (m, prefix) => {
  const encoded = encodeEcg(m, samples);
  line(`${prefix}bandpass sha256 ${sha256(encoded.signal)}`);
  line(`${prefix}deltaSpikes ${encoded.spikeCount} sha256 ${sha256(encoded.spikes)}`);
  const engine = createLifEngine(m.network);
  const { net } = engine;
  const ticks = samples.length;
  const events = createSpikeEvents(ticks);
  const membrane = new Int32Array(ticks * net.neuronCount);
  const n = engine.run(encoded.spikes, ticks, events, { membrane });
  line(`${prefix}ticks ${ticks}`);
  line(`${prefix}membraneSha256 ${sha256(membrane)}`);
  line(`${prefix}spikeCount ${Array.from(net.spikeCount).join(',')}`);
  line(`${prefix}synapticOps ${net.synapticOps}`);
  line(`${prefix}beatSpikeTicks ${n}: ${Array.from(events.tick.subarray(0, n)).join(',')}`);
};
if (info.sampleRateHz === model.tickRateHz) {
  trace(loadEcgModel(SINGLE_BAND_ECG_MODEL_PATH), '');
  trace(model, 'default ');
} else {
  line(`(record rate differs from the network rate: membrane trace not computed)`);
}

// Compiled engine, plain kernel chain (resampling when needed).
const kernels = runEcgKernels(model, samples, info.sampleRateHz);
line(`kernelBeats ${kernels.beats.length}: ${kernels.beats.join(',')}`);
line(`kernel inputSpikes ${kernels.inputSpikes} neuronSpikes ${kernels.neuronSpikes} synapticOps ${kernels.synapticOps} neuronUpdates ${kernels.neuronUpdates}`);

// The RxJS pipeline as replay runs it.
const opened = await openWfdbRecord(record, { chunkSamples: 512 });
const frames = await lastValueFrom(recordSource(opened).pipe(ecgPipeline(model, info.sampleRateHz), toArray()));
let beats = 0;
for (const frame of frames) {
  for (const e of frame.events) {
    if (e.type === 'beat') {
      beats++;
      line(`beat sample=${e.sample} t=${e.t}`);
    } else if (e.type === 'hr') {
      line(`hr t=${e.t} bpm=${e.bpm}`);
    } else {
      line(`quality t=${e.t} state=${e.state}`);
    }
  }
}
line(`pipelineBeats ${beats}`);
process.stdout.write(out.join('\n') + '\n');
