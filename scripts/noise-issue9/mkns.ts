// @ts-nocheck -- prototype harness for issue 9 (see README.md here), not part of the build
// mkns.ts NAME 'design overrides' 'noiseSwitch overrides' [start]
import { writeFileSync } from 'node:fs';
import { loadEcgModel } from '../../src/pipeline/ecgModel.ts';
import { buildEcgBeatNetworkJson, type EcgBeatDesign } from '../../src/snn/ecgBeatNetwork.ts';
const [name, over, ns, start] = process.argv.slice(2);
const base = loadEcgModel(start).network.meta.design as EcgBeatDesign;
const nsd = { narrowSmoothSamples: [14, 14], narrowHighpassShift: 6, subBlocks: 8, rank: 1, thresholdQ8: 12, aboveCleanQ8: 512, cleanRiseShift: 8, votes: 4, need: 3, ...(base.noiseSwitch ?? {}), ...JSON.parse(ns ?? '{}') };
const design = { ...base, ...JSON.parse(over ?? '{}'), noiseSwitch: nsd } as EcgBeatDesign;
writeFileSync(`scratch/n_${name}.json`, JSON.stringify(buildEcgBeatNetworkJson(design, 'noise-switched proto'), null, 1));
console.log(`scratch/n_${name}.json`);
