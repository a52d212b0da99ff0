/**
 * Bit-exactness of `edgespike replay`: hash the output of the real command on the fixtures and
 * the 24 shared MIT-BIH records (cases and hashing: scripts/bitexact/replayHashes.ts) and compare
 * with fixtures/bitexact/replay-sha256.json, first written by `--write` from the code before the
 * speed work of issue 15, and written again only when the output changes on purpose (the
 * search-back; the HRV windows' band reduction, which moved one HF value of the 12-hour case
 * by its last printed digit; the noise-switched network becoming the default ECG network; the
 * word gate beside the digits model, whose work the digits replay's summary now counts: the
 * fixture stream's three words are unchanged).
 * Exits 1 on any difference.
 *
 *   npm run bitexact [-- --quick] [-- --write]
 *
 * --quick: the fixtures only (what tests/scripts/bitexactReplay.test.ts runs). Cases whose
 * input is missing (../shared/datasets) are skipped and say so.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repeatRecord } from '../src/bench/replayMemory.ts';
import { haveCase, REPLAY_CASES, runReplayCase, type ReplayHash } from './bitexact/replayHashes.ts';

const root = join(import.meta.dirname, '..');
const file = join(root, 'fixtures', 'bitexact', 'replay-sha256.json');
const { values } = parseArgs({ options: { write: { type: 'boolean' }, quick: { type: 'boolean' } } });

const expected = values.write === true ? {} : (JSON.parse(readFileSync(file, 'utf8')) as { hashes: Record<string, ReplayHash> }).hashes;
const got: Record<string, ReplayHash> = {};
let failures = 0;
const work = mkdtempSync(join(tmpdir(), 'edgespike-bitexact-'));
for (const c of REPLAY_CASES) {
  if (values.quick === true && !c.quick) continue;
  if (!haveCase(root, c)) {
    console.log(`${c.name.padEnd(36)} skipped: ${c.needs} not found`);
    continue;
  }
  const run = c.repeat === undefined ? c : { ...c, args: [await repeatRecord(join(root, c.args[0] as string), work, c.repeat), ...c.args.slice(1)] };
  const { wallSeconds, ...hash } = await runReplayCase(root, run);
  got[c.name] = hash;
  const want = expected[c.name];
  const verdict = values.write === true ? 'written' : want === undefined ? 'NO REFERENCE' : want.sha256 === hash.sha256 ? 'same' : `DIFFERENT (was ${want.sha256.slice(0, 16)}, ${want.events} events)`;
  if (values.write !== true && verdict !== 'same') failures++;
  console.log(`${c.name.padEnd(36)} ${hash.sha256.slice(0, 16)} ${String(hash.events).padStart(6)} events ${wallSeconds.toFixed(2).padStart(6)} s  ${verdict}`);
}
rmSync(work, { recursive: true, force: true });
if (values.write === true) {
  const header =
    'SHA-256 of `edgespike replay <args> --speed max --format jsonl` (summary processingSeconds, peakRssMb and xRealTime set to 0), ' +
    'written by `npx tsx scripts/bitexact-replay.ts --write`: first from the code before the speed work of issue 15 (main at cb22597), ' +
    'again when the search-back (the cand neuron) changed the bundled model on purpose, ' +
    'again when the HRV windows\' band reduction moved one printed HF value of the 12-hour case by its last digit (883.4 to 883.3 ms², an 883.35), ' +
    'and again when the noise-switched network (src/snn/networks/ecg-beat-noise-switched.json) became the default ECG network, with its early-beat check (issue 9); ' +
    'scripts/bitexact-replay.ts compares every later version with it.';
  writeFileSync(file, JSON.stringify({ about: header, hashes: got }, null, 2) + '\n');
  console.log(`wrote ${file}`);
} else {
  console.log(failures === 0 ? 'bit-exact: every case has the reference hash' : `${failures} case(s) differ from the reference`);
  process.exitCode = failures === 0 ? 0 : 1;
}
