// @ts-nocheck -- prototype harness for issue 9 (see README.md here), not part of the build
import { readFile } from 'node:fs/promises';
import { stressRecording } from '../../src/condition/noiseStress.ts';
import { beatSamples, parseMitAnnotations } from '../../src/formats/wfdb/annotation.ts';
import { readWholeRecord } from '../../src/sources/readWhole.ts';
import { loadEcgModel } from '../../src/pipeline/ecgModel.ts';
import { loadNoiseMix } from '../../src/pipeline/noiseRecordings.ts';
import { detectEncodedEcg } from '../../src/pipeline/ecgKernels.ts';
import { matchBeats } from '../../src/detect/beatMatching.ts';
import { createNoiseSwitchedEncoder, primeNoiseSwitchedEncoder, processNoiseSwitchedEncoder } from '../../src/encode/noiseSwitchedEncoder.ts';
const model = loadEcgModel(process.argv[2]);
const snr = Number(process.argv[3] ?? 6);
const noise = await loadNoiseMix(['bw', 'ma'], '../shared/datasets/nstdb', 0);
const RECS = '101 102 104 106 108 109 112 114 115 116 118 119 122 124 201 203 205 207 208 209 215 220 223 230'.split(' ');
const tot = { nW: [0, 0], nN: [0, 0], cW: [0, 0], cN: [0, 0], eW: [0, 0], eN: [0, 0] } as Record<string, number[]>;
for (const r of RECS) {
  const { info, samples } = await readWholeRecord('../shared/datasets/mitdb/' + r);
  const ann = parseMitAnnotations(await readFile('../shared/datasets/mitdb/' + r + '.atr'));
  const ref = beatSamples(ann); const normal = ann.filter((a) => a.code === 1).map((a) => a.sample);
  const x = stressRecording(samples, { sampleRateHz: 360, gain: 1, countsPerAdu: 200 / info.gainAduPerUnit, noise: { samples: noise.samples, snrDb: snr, normalBeats: normal.length ? normal : ref } });
  const enc = createNoiseSwitchedEncoder(model.noiseSwitch!); primeNoiseSwitchedEncoder(enc, x, x.length);
  const sig = new Int32Array(x.length); const sp = new Uint8Array(2 * x.length); const mode: boolean[] = [];
  for (let t = 0; t < x.length; t += 360) { const n = Math.min(360, x.length - t); mode.push(enc.narrow); processNoiseSwitchedEncoder(enc, x.subarray(t, t + n), n, sig.subarray(t), sp.subarray(2 * t)); }
  const run = detectEncodedEcg(model, { signal: sig, spikes: sp, spikeCount: 0 }, 360);
  const m = matchBeats(run.beats, ref, { sampleRateHz: 360 });
  const cls = (s: number) => { const sec = s / 360; const noisy = sec >= 300 && Math.floor((sec - 300) / 120) % 2 === 0; const nar = mode[Math.floor(s / 360)] ?? false; const early = noisy && ((sec - 300) % 240) < 6; return (noisy ? (early ? 'e' : 'n') : 'c') + (nar ? 'N' : 'W'); };
  let nw = 0; for (const s of m.unmatchedDetectionSamples) { tot[cls(s)]![0]++; if (cls(s) === 'nW') nw++; }
  for (const s of m.unmatchedReferenceSamples) { tot[cls(s)]![1]++; if (cls(s) === 'nW') nw++; }
  const nb = mode.filter((v, i) => i >= 300 && Math.floor((i - 300) / 120) % 2 === 0); process.stdout.write(`${r}:${nw}err/${(100 * nb.filter((v) => v).length / nb.length).toFixed(0)}%N `);
}
console.log('FP/FN by [noisy stretch n / clean c] x [mode Wide / Narrow]:', JSON.stringify(tot));
