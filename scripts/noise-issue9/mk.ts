// @ts-nocheck -- prototype harness for issue 9 (see README.md here), not part of the build
// mk.ts NAME 'json overrides of the design' ['json proto'] -> scratch/n_NAME.json
import { writeFileSync } from 'node:fs';
import { loadEcgModel } from '../../src/pipeline/ecgModel.ts';
import { buildEcgBeatNetworkJson, type EcgBeatDesign } from '../../src/snn/ecgBeatNetwork.ts';
const [name, over, proto, start] = process.argv.slice(2);
const base = loadEcgModel(start).network.meta.design as EcgBeatDesign;
const o = JSON.parse(over ?? '{}');
const design = { ...base, ...o } as EcgBeatDesign;
const json = buildEcgBeatNetworkJson(design, 'proto');
if (proto) (json.meta as any).proto = JSON.parse(proto);
writeFileSync(`scratch/n_${name}.json`, JSON.stringify(json, null, 1));
console.log(`scratch/n_${name}.json`);
