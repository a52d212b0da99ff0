/**
 * Issue 15's AVR target: the beats sketch on a simulated ATmega328P (simavr, 16 MHz) gives
 * bit-identical beats to the TypeScript kernels on shared MIT-BIH records, in under 1 KB of RAM
 * and under 25 % of the cycles at 360 Hz.
 *
 *   npm run avr-check -- [--records 101,106,119,208,223] [--seconds 600]
 *
 * For each record: the first --seconds of channel 0 (pipeline counts of 5 µV, 360 Hz) as the
 * AD8232 would deliver them to the Arduino's ADC (adc = round(337.92 + counts · 225.28 / 200),
 * clipped to 0..1023: the profile sparkfun-ad8232's scale), played into the sketch's ADC with
 * 2 s of the last value after them; the board's `B` lines against the TypeScript kernels'
 * beats of the host's reading of the same ADC values (unprimed, as the board's build), both
 * before the end of the record's part. Also the board against the host as `run` would run
 * (primed), and cycles and RAM. Exit 1 when a record's beats are not identical.
 * Needs gcc-avr, avr-libc, simavr, libsimavr-dev, libelf-dev and the shared data sets.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { boardBeatAgreement } from '../src/detect/boardAgreement.ts';
import { readWholeRecord } from '../src/sources/readWhole.ts';
import {
  ATMEGA328P_RAM_BYTES,
  avrToolsMissing,
  buildSimulator,
  buildSketch,
  countsToAdc,
  CYCLES_PER_SAMPLE_PERIOD,
  hostCounts,
  referenceBeats,
  ROOT,
  simulate,
} from './avrSim.ts';

const { values: flags } = parseArgs({ options: { records: { type: 'string' }, seconds: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
if (flags.help === true) {
  process.stdout.write('npm run avr-check -- [--records 101,106,119,208,223] [--seconds 600]\n');
  process.exit(0);
}
const records = (flags.records ?? '101,106,119,208,223').split(',');
const seconds = Number(flags.seconds ?? 600);
const missing = avrToolsMissing();
if (missing !== undefined) {
  process.stderr.write(`avr-check: ${missing}\n`);
  process.exit(2);
}
const mitdb = resolve(ROOT, '..', 'shared', 'datasets', 'mitdb');
const PAD_SAMPLES = 720;
const work = mkdtempSync(join(tmpdir(), 'edgespike-avr-check-'));
const pct = (cycles: number): string => `${((100 * cycles) / CYCLES_PER_SAMPLE_PERIOD).toFixed(1)} %`;
let failed = 0;
try {
  const build = buildSketch(work);
  const simulator = buildSimulator(work);
  let stackMax = 0;
  let busyMeanMax = 0;
  let busyWorst = 0;
  let detectorMeanMax = 0;
  let detectorWorst = 0;
  process.stdout.write(`AD8232 beats sketch in simavr (ATmega328P, 16 MHz, -Os, EDGESPIKE_ECG_PRIME 0), ${seconds} s of each record\n`);
  process.stdout.write('record  beats board/TS  identical  clipped  vs primed host (agree ±54, same)  detector cyc mean/max  busy cyc mean/max  stack  sim s  wall s\n');
  for (const record of records) {
    const path = join(mitdb, record);
    if (!existsSync(`${path}.hea`)) {
      process.stdout.write(`${record}: not found under ${mitdb}\n`);
      failed++;
      continue;
    }
    const started = performance.now();
    const { info, samples } = await readWholeRecord(path);
    if (info.sampleRateHz !== 360) throw new Error(`${record} is at ${info.sampleRateHz} Hz, not 360`);
    const part = samples.subarray(0, Math.min(samples.length, Math.round(seconds * 360)));
    const adc = countsToAdc(part);
    const clipped = adc.filter((v) => v === 0 || v === 1023).length;
    const played = [...adc, ...new Array<number>(PAD_SAMPLES).fill(adc.at(-1) ?? 338)];
    const run = simulate(simulator, build, played, 0, work);
    const counts = hostCounts(played);
    const board = run.beats.filter((b) => b < part.length);
    const reference = referenceBeats(counts, false).filter((b) => b < part.length);
    const primed = referenceBeats(counts, true).filter((b) => b < part.length);
    const identical = board.length === reference.length && board.every((b, i) => b === reference[i]);
    if (!identical) failed++;
    const vsHost = boardBeatAgreement(board, primed, 360);
    const s = run.stats;
    stackMax = Math.max(stackMax, s.stackBytes);
    busyMeanMax = Math.max(busyMeanMax, s.busyCyclesMean);
    busyWorst = Math.max(busyWorst, s.busyCyclesMax);
    detectorMeanMax = Math.max(detectorMeanMax, s.detectorCyclesMean);
    detectorWorst = Math.max(detectorWorst, s.detectorCyclesMax);
    process.stdout.write(
      `${record.padEnd(6)}  ${`${board.length}/${reference.length}`.padStart(11)}  ${(identical ? 'yes' : 'NO').padStart(9)}  ${String(clipped).padStart(7)}  ` +
        `${`${vsHost.agree} of ${vsHost.hostBeats}, ${vsHost.sameSample}`.padStart(32)}  ${`${Math.round(s.detectorCyclesMean)}/${s.detectorCyclesMax}`.padStart(21)}  ` +
        `${`${Math.round(s.busyCyclesMean)}/${s.busyCyclesMax}`.padStart(17)}  ${String(s.stackBytes).padStart(5)}  ${s.simulatedSeconds.toFixed(0).padStart(5)}  ${((performance.now() - started) / 1000).toFixed(0).padStart(6)}\n`,
    );
  }
  const ram = build.dataBytes + build.bssBytes + stackMax;
  process.stdout.write(
    `RAM: .data ${build.dataBytes} + .bss ${build.bssBytes} + stack high-water ${stackMax} = ${ram} B of ${ATMEGA328P_RAM_BYTES} (target < 1024: ${ram < 1024 ? 'met' : 'NOT met'}); flash ${build.flashBytes} B\n` +
      `cycles per sample period (${CYCLES_PER_SAMPLE_PERIOD.toFixed(0)} at 360 Hz): detector mean ${Math.round(detectorMeanMax)} (${pct(detectorMeanMax)}), worst ${detectorWorst} (${pct(detectorWorst)}); ` +
      `CPU awake (interrupts, printing, conversion, detector) mean ${Math.round(busyMeanMax)} (${pct(busyMeanMax)}), worst period ${busyWorst} (${pct(busyWorst)}); target mean < 25 %: ${busyMeanMax < 0.25 * CYCLES_PER_SAMPLE_PERIOD ? 'met' : 'NOT met'}\n` +
      `${records.length - failed} of ${records.length} records bit-identical\n`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed > 0 ? 1 : 0);
