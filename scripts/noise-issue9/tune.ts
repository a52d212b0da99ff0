// @ts-nocheck -- prototype harness for issue 9 (see README.md here), not part of the build
// tune.ts START.json OUT.json 'axis,axis' sweeps weights(rec,6,0)
import { writeFileSync } from 'node:fs';
import { loadEcgModel } from '../../src/pipeline/ecgModel.ts';
import { createScorer, describeScore, loadTuningData } from '../../src/pipeline/ecgTuning.ts';
import { loadNoiseMix } from '../../src/pipeline/noiseRecordings.ts';
import { buildEcgBeatNetworkJson, type EcgBeatDesign } from '../../src/snn/ecgBeatNetwork.ts';
import { coordinateDescent } from '../../src/snn/tune/coordinateDescent.ts';
import { ECG_BEAT_AXES } from '../../src/snn/tune/ecgBeatAxes.ts';
import { MITDB_RECORDS, DEFAULT_HOLDOUT } from '../../src/app/tuneEcg.ts';
const [start, out, axesArg, sweepsArg, wArg] = process.argv.slice(2);
const design0 = loadEcgModel(start).network.meta.design as EcgBeatDesign;
const noise = await loadNoiseMix(['bw', 'ma'], '../shared/datasets/nstdb', 0);
const w = (wArg ?? '30,6,2').split(',').map(Number);
const conditions = [
  { gain: 1, weight: w[0]! },
  { gain: 1, noise, snrDb: 6, weight: w[1]! },
  { gain: 1, noise, snrDb: 0, weight: w[2]! },
];
const data = await loadTuningData('../shared/datasets/mitdb', MITDB_RECORDS, DEFAULT_HOLDOUT, conditions, () => {});
const score = createScorer(data);
const keys = axesArg!.split(',');
const axes = ECG_BEAT_AXES.filter((a) => keys.includes(a.key));
const write = (d: EcgBeatDesign) => writeFileSync(out!, JSON.stringify(buildEcgBeatNetworkJson(d, 'tuned proto'), null, 1));
const r = coordinateDescent(design0, axes, (d) => score(d, false), { sweeps: Number(sweepsArg ?? 2), log: (l) => console.log(new Date().toISOString().slice(11, 19), l), describe: describeScore, onSweep: write });
write(r.design);
console.log('held out:', describeScore(score(r.design, true)));
console.log(JSON.stringify(r.design));
