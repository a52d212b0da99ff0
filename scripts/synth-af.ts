/**
 * Write the synthetic AF set (src/synth/afRecords.ts: two records with AF episodes between
 * sinus rhythm and ectopy, two with ectopy and bigeminy/trigeminy only) as WFDB records with
 * rhythm annotations, for `edgespike eval`:
 *
 *   npx tsx scripts/synth-af.ts /tmp/synaf && npx tsx src/cli.ts eval /tmp/synaf
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AF_SYNTH_SET, generateAfRecord } from '../src/synth/afRecords.ts';

const dir = process.argv[2];
if (dir === undefined) {
  process.stderr.write('usage: npx tsx scripts/synth-af.ts <folder>\n');
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
for (const spec of AF_SYNTH_SET) {
  const record = generateAfRecord(spec);
  writeFileSync(join(dir, `${record.name}.hea`), record.hea);
  writeFileSync(join(dir, `${record.name}.dat`), record.dat);
  writeFileSync(join(dir, `${record.name}.atr`), record.atr);
  process.stdout.write(`${record.name}: ${record.beats} beats, ${record.durationS.toFixed(0)} s, ${record.afSeconds.toFixed(0)} s of AF\n`);
}
