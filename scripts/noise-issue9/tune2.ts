// @ts-nocheck -- prototype harness for issue 9 (see README.md here), not part of the build
// tune2.ts START.json OUT.json 'axis,...' sweeps weights(rec,6,0)  -- scorer with the proto front end (meta.proto of START)
import { writeFileSync } from 'node:fs';
import { loadEcgModel, toEcgModel } from '../../src/pipeline/ecgModel.ts';
import { loadTuningData } from '../../src/pipeline/ecgTuning.ts';
import { loadNoiseMix } from '../../src/pipeline/noiseRecordings.ts';
import { parseNetwork } from '../../src/snn/network.ts';
import { matchBeats, poolScores, type BeatScore } from '../../src/detect/beatMatching.ts';
import { detectEncodedEcg, encodeEcg } from '../../src/pipeline/ecgKernels.ts';
import { buildEcgBeatNetworkJson, type EcgBeatDesign } from '../../src/snn/ecgBeatNetwork.ts';
import { coordinateDescent } from '../../src/snn/tune/coordinateDescent.ts';
import { ECG_BEAT_AXES } from '../../src/snn/tune/ecgBeatAxes.ts';
import { MITDB_RECORDS, DEFAULT_HOLDOUT } from '../../src/app/tuneEcg.ts';
import { frontEnds } from './fe.ts';
const [start, out, axesArg, sweepsArg, wArg] = process.argv.slice(2);
const startModel = loadEcgModel(start);
const proto = (startModel.network.meta as any).proto;
const design0 = startModel.network.meta.design as EcgBeatDesign;
const noise = await loadNoiseMix(['bw', 'ma'], '../shared/datasets/nstdb', 0);
const w = (wArg ?? '30,6,2').split(',').map(Number);
const conditions = [{ gain: 1, weight: w[0]! }, { gain: 1, noise, snrDb: 6, weight: w[1]! }, { gain: 1, noise, snrDb: 0, weight: w[2]! }];
const labels = ['as recorded', 'bw+ma 6 dB', 'bw+ma 0 dB'];
const data = await loadTuningData('../shared/datasets/mitdb', MITDB_RECORDS, DEFAULT_HOLDOUT, conditions, () => {});
const json = (d: EcgBeatDesign) => { const j = buildEcgBeatNetworkJson(d, 'tuned proto'); if (proto) (j.meta as any).proto = proto; return j; };
const cache = new Map<string, any>();
const fe = proto?.frontEnd ? frontEnds[proto.frontEnd]! : encodeEcg;
const score = (d: EcgBeatDesign, held: boolean) => {
  const model = toEcgModel(parseNetwork(json(d)));
  const key = JSON.stringify([d.smoothSamples, d.highpassShift, d.maxSpikesPerSample, d.admThresholdQ8, d.admUpShift, d.admDownShift, d.admMinInputCounts]);
  const by = new Map<string, BeatScore[]>();
  for (const [i, c] of data.cases.entries()) {
    if (c.held !== held) continue;
    const ck = `${i}:${key}`;
    let enc = cache.get(ck);
    if (enc === undefined) { if (cache.size > 6 * data.cases.length) cache.clear(); enc = fe(model, c.samples); cache.set(ck, enc); }
    const run = detectEncodedEcg(model, enc, c.sampleRateHz);
    const l = by.get(c.condition) ?? []; l.push(matchBeats(run.beats, c.reference, { sampleRateHz: c.sampleRateHz })); by.set(c.condition, l);
  }
  const byCondition = new Map<string, any>(); let objective = 0;
  for (const [label, l] of by) { const p = poolScores(l); byCondition.set(label, p); objective += w[labels.indexOf(label)]! * (p.falseNegatives + p.falsePositives); }
  return { byCondition, objective };
};
const describe = (s: any) => [...s.byCondition].map(([l, p]: any) => `${l} ${(100 * p.f1).toFixed(2)} (${p.falseNegatives}/${p.falsePositives})`).join(' | ');
const keys = axesArg!.split(',');
const axes = ECG_BEAT_AXES.filter((a) => keys.includes(a.key));
const write = (d: EcgBeatDesign) => writeFileSync(out!, JSON.stringify(json(d), null, 1));
const r = coordinateDescent(design0, axes, (d) => score(d, false), { sweeps: Number(sweepsArg ?? 2), log: (l) => console.log(new Date().toISOString().slice(11, 19), l), describe, onSweep: write });
write(r.design);
console.log('held out:', describe(score(r.design, true)));
console.log(JSON.stringify(r.design));
