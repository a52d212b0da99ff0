// @ts-nocheck -- prototype harness for issue 9 (see README.md here), not part of the build
// chunk invariance of the noise-switched chain: same beats and spikes for any chunk size
import { readFile } from 'node:fs/promises';
import { stressRecording } from '../../src/condition/noiseStress.ts';
import { beatSamples, parseMitAnnotations } from '../../src/formats/wfdb/annotation.ts';
import { readWholeRecord } from '../../src/sources/readWhole.ts';
import { loadEcgModel, beatDetectorOptions } from '../../src/pipeline/ecgModel.ts';
import { loadNoiseMix } from '../../src/pipeline/noiseRecordings.ts';
import { createEcgChain, filterEcgChain, primeEcgChain, runEcgChain, flushEcgChain, ecgChainPrimeSamples } from '../../src/detect/ecgChain.ts';
import { encodeEcg } from '../../src/pipeline/ecgKernels.ts';
import { createNoiseSwitchedEncoder, primeNoiseSwitchedEncoder, processNoiseSwitchedEncoder } from '../../src/encode/noiseSwitchedEncoder.ts';
import { createHash } from 'node:crypto';
const model = loadEcgModel(process.argv[2]);
const noise = await loadNoiseMix(['bw', 'ma'], '../shared/datasets/nstdb', 0);
const { info, samples } = await readWholeRecord('../shared/datasets/mitdb/' + (process.argv[3] ?? '116'));
const ann = parseMitAnnotations(await readFile('../shared/datasets/mitdb/' + (process.argv[3] ?? '116') + '.atr'));
const normal = ann.filter((a) => a.code === 1).map((a) => a.sample);
const x = stressRecording(samples, { sampleRateHz: 360, gain: 1, countsPerAdu: 200 / info.gainAduPerUnit, noise: { samples: noise.samples, snrDb: 6, normalBeats: normal.length ? normal : beatSamples(ann) } });
// kernel level: whole vs chunks
const whole = encodeEcg(model, x);
const h = (a: ArrayBufferView) => createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex').slice(0, 12);
for (const size of [1, 7, 100, 360, 1000, 4096]) {
  const enc = createNoiseSwitchedEncoder(model.noiseSwitch!);
  primeNoiseSwitchedEncoder(enc, x, x.length);
  const sig = new Int32Array(x.length); const sp = new Uint8Array(2 * x.length);
  for (let t = 0; t < x.length; t += size) { const n = Math.min(size, x.length - t); processNoiseSwitchedEncoder(enc, x.subarray(t, t + n), n, sig.subarray(t), sp.subarray(2 * t)); }
  // chain
  const chain = createEcgChain({ bandpass: model.bandpass, encoder: model.encoder, network: model.network, quality: model.quality, beats: beatDetectorOptions(model, 360), noiseSwitch: model.noiseSwitch });
  const need = ecgChainPrimeSamples(chain);
  primeEcgChain(chain, x.subarray(0, need), need);
  const beats: number[] = []; const changes: any[] = [];
  for (let t = 0; t < x.length; t += size) { const n = Math.min(size, x.length - t); const s = filterEcgChain(chain, x.subarray(t, t + n), n); runEcgChain(chain, s, n, beats, changes); }
  flushEcgChain(chain, beats);
  console.log(size, 'signal', h(sig) === h(whole.signal), 'spikes', h(sp) === h(whole.spikes), 'beats', beats.length, h(Int32Array.from(beats)), 'quality changes', changes.length);
}
