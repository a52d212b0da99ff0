/**
 * The exported C on the microcontroller it is written for: built with avr-gcc for an
 * ATmega328P (16-bit int, 2 KB RAM) with tests/export/avrMain.c, run in simavr, unprimed
 * (EDGESPIKE_ECG_PRIME=0, the RAM-saving build); beats and spike counts must equal the
 * TypeScript kernels' (the encoder without priming), and every call must fit the time one
 * sample allows at 16 MHz and 360 Hz. Skips, saying why, without avr-gcc or simavr.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportEcgC } from '../../src/app/exportC.ts';
import { createQrsBandpass, processQrsBandpass } from '../../src/condition/qrsBandpass.ts';
import { createDeltaEncoder, processDeltaEncoder } from '../../src/encode/deltaEncoder.ts';
import { detectEncodedEcg } from '../../src/pipeline/ecgKernels.ts';
import { loadEcgModel, SINGLE_BAND_ECG_MODEL_PATH } from '../../src/pipeline/ecgModel.ts';
import { datasetPath, haveDataset, PROJECT_ROOT } from '../helpers/datasets.ts';
import { FIXTURE_RECORD, readRecord } from '../helpers/fixture.ts';

const haveTools = ['avr-gcc', 'simavr'].every((tool) => spawnSync(tool, ['--help'], { stdio: 'ignore' }).error === undefined);
if (!haveTools) console.warn('[skip] exported C on an ATmega328P (tests/export/ecgCAvr.test.ts): avr-gcc or simavr not found (Debian: gcc-avr avr-libc simavr; .ci/run installs them)');

/** Samples per run: what fits in the 32 KB of flash beside the code, as int16 (28 s at 360 Hz). */
const SAMPLES = 10000;
/** CPU cycles one sample may take at 16 MHz and 360 Hz. */
const CYCLES_PER_SAMPLE_BUDGET = Math.floor(16e6 / 360);

describe.skipIf(!haveTools)('the exported C on an ATmega328P (simavr)', () => {
  const model = loadEcgModel(SINGLE_BAND_ECG_MODEL_PATH); // the network the board runs
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'edgespike-avr-'));
    exportEcgC(dir, SINGLE_BAND_ECG_MODEL_PATH);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Build for the ATmega328P with `samples` in flash, run in simavr, parse the UART output. */
  function runOnAvr(samples: Int32Array) {
    writeFileSync(join(dir, 'samples.h'), `#define SAMPLE_COUNT ${samples.length}u\nstatic const int16_t samples[${samples.length}] PROGMEM = {${Array.from(samples).join(',')}};\n`);
    const elf = join(dir, 'main.elf');
    execFileSync('avr-gcc', ['-mmcu=atmega328p', '-std=c99', '-Os', '-Wall', '-Wextra', '-Werror', '-DEDGESPIKE_ECG_PRIME=0', '-I', dir, resolve(PROJECT_ROOT, 'tests', 'export', 'avrMain.c'), '-o', elf]);
    const run = spawnSync('simavr', ['-m', 'atmega328p', '-f', '16000000', elf], { encoding: 'utf8', timeout: 120_000 });
    // simavr prints each UART line in colour, ending it with "."
    const lines = `${run.stdout}${run.stderr}`.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '').split('\n').map((l) => l.replace(/\.$/, ''));
    const field = (key: string): number[] => (lines.find((l) => l.startsWith(`${key} `)) ?? '').split(' ').slice(1).map(Number);
    return {
      beats: lines.filter((l) => l.startsWith('beat ')).map((l) => Number(l.slice(5))),
      spikes: field('spikes'),
      cycles: field('cycles'),
      stateBytes: field('sizeof')[0],
    };
  }

  /** The TypeScript chain without priming. */
  function typescript(samples: Int32Array) {
    const signal = new Int32Array(samples.length);
    processQrsBandpass(createQrsBandpass(model.bandpass), samples, samples.length, signal);
    const spikes = new Uint8Array(2 * samples.length);
    const spikeCount = processDeltaEncoder(createDeltaEncoder(model.encoder), signal, signal.length, spikes);
    return detectEncodedEcg(model, { signal, spikes, spikeCount }, model.tickRateHz);
  }

  function expectIdentical(samples: Int32Array) {
    const avr = runOnAvr(samples);
    const ts = typescript(samples);
    expect(avr.beats).toEqual(ts.beats);
    expect(avr.spikes).toEqual([ts.inputSpikes, ts.neuronSpikes]);
    const [total = NaN, most = NaN] = avr.cycles;
    expect(most).toBeLessThan(CYCLES_PER_SAMPLE_BUDGET);
    return { avr, ts, meanCycles: total / (samples.length + 1), mostCycles: most };
  }

  it('compiles for the ATmega328P without a warning, -Wconversion included, primed and unprimed', () => {
    for (const prime of [1, 0]) {
      execFileSync('avr-gcc', ['-mmcu=atmega328p', '-std=c99', '-Os', '-Wall', '-Wextra', '-Wconversion', '-Wsign-conversion', '-Werror', '-pedantic', `-DEDGESPIKE_ECG_PRIME=${prime}`, '-c', join(dir, 'edgespike_ecg.c'), '-o', join(dir, `avr${prime}.o`)]);
    }
  });

  it('gives the fixture\'s beats and spike counts bit for bit, each sample within its 44,444 cycles', async () => {
    const { samples } = await readRecord(FIXTURE_RECORD);
    const { ts, avr, meanCycles, mostCycles } = expectIdentical(samples.subarray(0, SAMPLES));
    expect(ts.beats.length).toBeGreaterThan(20);
    expect(avr.stateBytes).toBeLessThan(700); // 652 bytes: 572 before the search-back
    console.log(`ATmega328P: ${meanCycles.toFixed(0)} cycles per sample on average, at most ${mostCycles}; state ${avr.stateBytes} bytes`);
  });

  it.skipIf(!haveDataset('exported C on an ATmega328P, MIT-BIH 208', ['mitdb/208.dat']))('gives MIT-BIH 208\'s first 28 s bit for bit (ectopic beats)', async () => {
    const { samples } = await readRecord(datasetPath('mitdb', '208'));
    const { ts } = expectIdentical(samples.subarray(0, SAMPLES));
    expect(ts.beats.length).toBeGreaterThan(40);
  });
});
