import { loadEcgModel } from '/work/main/src/pipeline/ecgModel.ts';
import { evaluateRecord } from '/work/main/src/pipeline/evaluate.ts';
import { loadNoiseMix } from '/work/main/src/pipeline/noiseRecordings.ts';
import { readdirSync } from 'node:fs';
const dir = '/work/shared/datasets/mitdb';
const net = process.argv[2] ?? '/work/main/src/snn/networks/ecg-beat-noise-switched.json';
const snr = Number(process.argv[3] ?? 6);
const model = loadEcgModel(net);
const noise = await loadNoiseMix(['bw','ma'], '/work/shared/datasets/nstdb', 0);
const recs = readdirSync(dir).filter(f=>f.endsWith('.hea')).map(f=>f.slice(0,-4)).sort();
let tot={fpN:0,fpC:0,fnN:0,fnC:0};
for (const r of recs) {
  const e = await evaluateRecord(model, `${dir}/${r}`, { condition: { noise: { ...noise, snrDb: snr } } as any });
  const noisy = (s:number)=>{const t=s/e.sampleRateHz; return t>=300 && Math.floor((t-300)/120)%2===0;};
  const c={fpN:0,fpC:0,fnN:0,fnC:0};
  for (const s of e.match.unmatchedDetectionSamples) noisy(s)?c.fpN++:c.fpC++;
  for (const s of e.match.unmatchedReferenceSamples) noisy(s)?c.fnN++:c.fnC++;
  for (const k of Object.keys(c) as (keyof typeof c)[]) tot[k]+=c[k];
  console.log(r, JSON.stringify(c));
}
console.log(JSON.stringify(tot));
