/**
 * `edgespike export-c` as a process: it writes the two C files of the bundled model (or of
 * --network FILE), explains itself in --help, and refuses bad command lines and models in one line.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_ECG_MODEL_PATH, NOISE_SWITCHED_ECG_MODEL_PATH } from '../../src/pipeline/ecgModel.ts';
import { expectOneLineError, runCli } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'edgespike-export-c-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.concurrent('edgespike export-c', () => {
  it('writes edgespike_ecg.h and edgespike_ecg.c naming the model and its SHA-256', async () => {
    const out = join(dir, 'bundled');
    const result = await runCli(['export-c', '--out', out]);
    expect(result.code).toBe(0);
    const sha = createHash('sha256').update(readFileSync(DEFAULT_ECG_MODEL_PATH)).digest('hex');
    const header = readFileSync(join(out, 'edgespike_ecg.h'), 'utf8');
    expect(header).toContain(`"ecg-beat", SHA-256 ${sha}`);
    expect(readFileSync(join(out, 'edgespike_ecg.c'), 'utf8')).toContain('#include "edgespike_ecg.h"');
    expect(result.stderr).toContain(`export-c: wrote ${join(out, 'edgespike_ecg.h')}`);
  });

  it('--help explains the interface and how to build', async () => {
    const result = await runCli(['export-c', '--help']);
    expect(result.code).toBe(0);
    for (const text of ['--network FILE', '--out DIR', 'edgespike_ecg_process_sample', 'edgespike_ecg_flush', 'EDGESPIKE_ECG_PRIME=0', 'cc -std=c99', 'does not\nresample']) {
      expect(result.stdout).toContain(text);
    }
  });

  it('without --out: one usage line, exit 2', async () => {
    expectOneLineError(await runCli(['export-c']), 2, /export-c needs --out DIR; see edgespike export-c --help/);
  });

  it('an --out that is a file: one line, exit 1', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, '');
    expectOneLineError(await runCli(['export-c', '--out', file]), 1, /export-c: cannot write into --out .*a-file \(EEXIST\)/);
  });

  it('a model the C cannot express: one line, exit 1', async () => {
    const json = JSON.parse(readFileSync(DEFAULT_ECG_MODEL_PATH, 'utf8')) as { meta: { tickRateHz: number } };
    json.meta.tickRateHz = 250.5;
    const path = join(dir, 'odd-rate.json');
    writeFileSync(path, JSON.stringify(json));
    expectOneLineError(await runCli(['export-c', '--network', path, '--out', join(dir, 'odd')]), 1, /export-c: network "ecg-beat" has meta.tickRateHz 250.5; the C takes whole Hz/);
  });

  it('the noise-switched network: both paths and the switch (tests/export/ecgC.test.ts checks them bit for bit)', async () => {
    const path = NOISE_SWITCHED_ECG_MODEL_PATH;
    const out = join(dir, 'switched');
    const result = await runCli(['export-c', '--network', path, '--out', out]);
    expect(result.code).toBe(0);
    const source = readFileSync(join(out, 'edgespike_ecg.c'), 'utf8');
    for (const name of ['es_bandpass_n(', 'es_encode_n(', 'es_switch(', 'es_switch_block(']) expect(source).toContain(name);
  });

  it('a second output that is not the search-back\'s: one line, exit 1', async () => {
    const json = JSON.parse(readFileSync(DEFAULT_ECG_MODEL_PATH, 'utf8')) as { meta: { beat: { searchback?: unknown } } };
    delete json.meta.beat.searchback;
    const path = join(dir, 'no-searchback.json');
    writeFileSync(path, JSON.stringify(json));
    expectOneLineError(
      await runCli(['export-c', '--network', path, '--out', join(dir, 'no-searchback')]),
      1,
      /export-c: network "ecg-beat" has the output "cand" that is neither the beat's nor the search-back's \(meta.beat.searchback.output\); the C reads only those/,
    );
  });
});
