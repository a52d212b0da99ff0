// @ts-nocheck -- prototype harness for issue 9 (see README.md here), not part of the build
// Scratch harness: all records under conditions in memory; scores network files / front-end variants.
// usage: npx tsx scratch/h.ts [--gains] [--per] [--snr 12,6,0] net1.json [net2.json ...]
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stressRecording } from '../../src/condition/noiseStress.ts';
import { matchBeats, poolScores, heartRateError, type BeatScore } from '../../src/detect/beatMatching.ts';
import { beatSamples, parseMitAnnotations } from '../../src/formats/wfdb/annotation.ts';
import { readWholeRecord } from '../../src/sources/readWhole.ts';
import { loadEcgModel, type EcgModel } from '../../src/pipeline/ecgModel.ts';
import { detectEncodedEcg, encodeEcg } from '../../src/pipeline/ecgKernels.ts';
import { loadNoiseMix } from '../../src/pipeline/noiseRecordings.ts';

import { frontEnds, sw } from './fe.ts';

const RECS = ['101','102','104','106','108','109','112','114','115','116','118','119','122','124','201','203','205','207','208','209','215','220','223','230'];
const DIR = '../shared/datasets/mitdb';
const args = process.argv.slice(2);
const gains = args.includes('--gains');
const per = args.includes('--per');
let snrs = [12, 6, 0];
const si = args.indexOf('--snr');
if (si >= 0) snrs = args[si + 1]!.split(',').map(Number);
const recArg = args.indexOf('--rec');
const recs = recArg >= 0 ? args[recArg + 1]!.split(',') : RECS;
const nets = args.filter((a, i) => a.endsWith('.json') || a === '-' );
const noise = await loadNoiseMix(['bw', 'ma'], '../shared/datasets/nstdb', 0);
interface Cond { label: string; gain: number; snr?: number }
const conds: Cond[] = [{ label: 'rec', gain: 1 }, ...snrs.map((s) => ({ label: `${s}dB`, gain: 1, snr: s }))];
if (gains) for (const g of [0.1, 0.2, 0.5, 2, 5, 10]) conds.push({ label: `g${g}`, gain: g });
interface Case { rec: string; cond: string; samples: Int32Array; reference: number[]; fs: number }
const cases: Case[] = [];
for (const name of recs) {
  const { info, samples } = await readWholeRecord(join(DIR, name));
  const annotations = parseMitAnnotations(await readFile(join(DIR, `${name}.atr`)));
  const reference = beatSamples(annotations);
  const normal = annotations.filter((a) => a.code === 1).map((a) => a.sample);
  for (const c of conds) {
    const s = c.gain === 1 && c.snr === undefined ? samples : stressRecording(samples, { sampleRateHz: info.sampleRateHz, gain: c.gain, countsPerAdu: 200 / info.gainAduPerUnit,
      ...(c.snr === undefined ? {} : { noise: { samples: noise.samples, snrDb: c.snr, normalBeats: normal.length > 0 ? normal : reference } }) });
    cases.push({ rec: name, cond: c.label, samples: s, reference, fs: info.sampleRateHz });
  }
}
for (const net of nets) {
  const model: EcgModel = loadEcgModel(net === '-' ? undefined : net);
  const fe = (model.network.meta as any).proto?.frontEnd as string | undefined;
  const encode = fe === undefined ? (m: EcgModel, x: Int32Array) => encodeEcg(m, x) : frontEnds[fe]!;
  const by = new Map<string, { s: BeatScore[]; mae: number[]; w: number[]; per: string[] }>();
  const swc = new Map<string, number[]>();
  for (const c of cases) {
    sw.blocks = 0; sw.narrowBlocks = 0;
    const run = detectEncodedEcg(model, encode(model, c.samples), c.fs);
    swc.set(c.cond, [(swc.get(c.cond)?.[0] ?? 0) + sw.narrowBlocks, (swc.get(c.cond)?.[1] ?? 0) + sw.blocks]);
    const m = matchBeats(run.beats, c.reference, { sampleRateHz: c.fs });
    const hr = heartRateError(run.beats, c.reference, c.fs);
    const e = by.get(c.cond) ?? { s: [], mae: [], w: [], per: [] };
    e.s.push(m); e.mae.push(hr.maeBpm * hr.count); e.w.push(hr.count); e.per.push(`${c.rec}:${m.falsePositives}/${m.falseNegatives}`);
    by.set(c.cond, e);
  }
  const name = net.replace(/.*\//, '').replace('.json', '');
  const f1s: number[] = [];
  const line: string[] = [];
  for (const [label, e] of by) {
    const p = poolScores(e.s);
    const mae = e.mae.reduce((a, b) => a + b, 0) / e.w.reduce((a, b) => a + b, 0);
    if (label === 'rec' || label.startsWith('g')) f1s.push(p.f1);
    const txt = `Se ${(100 * p.sensitivity).toFixed(2)} +P ${(100 * p.positivePredictivity).toFixed(2)} F1 ${(100 * p.f1).toFixed(2)} MAE ${mae.toFixed(2)} FP ${p.falsePositives} FN ${p.falseNegatives}`;
    if (label === 'rec' || label.endsWith('dB')) line.push(`${label} ${(100 * p.f1).toFixed(2)}`);
    console.log(`${name.padEnd(26)} ${label.padEnd(5)} ${txt}`);
    if (per) console.log('     ', e.per.join(' '));
    if (swc.get(label)?.[1]) console.log('      narrow blocks', (100 * swc.get(label)![0]! / swc.get(label)![1]!).toFixed(1), '%');
  }
  if (gains) console.log(`${name.padEnd(26)} gainF1 ${(100 * Math.min(...f1s)).toFixed(2)}-${(100 * Math.max(...f1s)).toFixed(2)}`);
  console.log(`== ${name}: ${line.join(' | ')}`);
}
