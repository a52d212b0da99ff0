/**
 * The AD8232 beats sketch on a simulated ATmega328P (simavr, 16 MHz), built with avr-gcc from
 * the sketch folder as committed (the exported edgespike_ecg.c/.h included): the recorded AD8232
 * fixture (30 s at 360 Hz, the leads off from 15 s to 16 s) played into its ADC and LO+ pin.
 * Its beats must be the TypeScript kernels' beats of the same samples, bit for bit, with the
 * sketch's priming setting (EDGESPIKE_ECG_PRIME 0); and it must meet issue 15's targets: RAM
 * (.data + .bss + the stack's high-water mark) under 1 KB of the chip's 2 KB, the CPU awake
 * under 25 % of each 2.78 ms sample period on average.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ATMEGA328P_RAM_BYTES,
  avrToolsMissing,
  buildSimulator,
  buildSketch,
  CYCLES_PER_SAMPLE_PERIOD,
  hostCounts,
  referenceBeats,
  simulate,
  type SimulationRun,
  type SketchBuild,
} from '../../scripts/avrSim.ts';
import { PROJECT_ROOT } from '../helpers/datasets.ts';
import { useTempDir } from '../helpers/records.ts';

const missing = avrToolsMissing();
if (missing !== undefined) console.warn(`[skip] the AD8232 beats sketch in simavr: ${missing}`);

const tempDir = useTempDir('edgespike-avr-');
/** Sample periods played after the fixture (2 s of its last value): the detector's look-ahead ends inside them. */
const PAD_SAMPLES = 720;

function fixtureValues(): (number | '!')[] {
  const text = readFileSync(join(PROJECT_ROOT, 'fixtures', 'devices', 'ad8232-ecg.bin'), 'latin1');
  return text
    .split(/\r?\n/)
    .filter((l) => l !== '')
    .map((l) => (l === '!' ? '!' : Number(l)));
}

describe.skipIf(missing !== undefined)('the beats sketch in simavr on the AD8232 fixture', () => {
  let build: SketchBuild;
  let run: SimulationRun;
  const values = fixtureValues();
  const last = values.findLast((v) => v !== '!') ?? 0;
  const played = [...values, ...new Array<number>(PAD_SAMPLES).fill(last)];

  beforeAll(() => {
    build = buildSketch(tempDir());
    run = simulate(buildSimulator(tempDir()), build, played, 0, tempDir());
  }, 120_000);

  it('prints the sample lines it was given, as the plain sketch does', () => {
    expect(values.length).toBe(10800);
    expect(values.filter((v) => v === '!').length).toBe(360);
    expect(run.values.slice(0, played.length)).toEqual(played);
  });

  it("sends the TypeScript kernels' beats (unprimed encoder), bit for bit", () => {
    const reference = referenceBeats(hostCounts(played), false).filter((b) => b < values.length);
    const board = run.beats.filter((b) => b < values.length);
    expect(reference.length).toBeGreaterThanOrEqual(30); // 32 beats in the fixture
    expect(board).toEqual(reference);
  });

  it('sends, byte for byte, the recorded stream fixtures/devices/ad8232-beats.bin (made by fixtures/devices/makeBeats.ts)', () => {
    const recorded = readFileSync(join(PROJECT_ROOT, 'fixtures', 'devices', 'ad8232-beats.bin'), 'latin1');
    expect(run.text.length).toBe(recorded.length);
    expect(run.text === recorded).toBe(true);
  });

  it('uses under 1 KB of RAM and under 25 % of the cycles of a sample period', () => {
    const ramBytes = build.dataBytes + build.bssBytes + run.stats.stackBytes;
    const s = run.stats;
    console.info(
      `[avr] ATmega328P 16 MHz: RAM ${ramBytes} B (.data ${build.dataBytes} + .bss ${build.bssBytes} + stack ${s.stackBytes}); ` +
        `detector ${s.detectorCyclesMean.toFixed(0)} cycles/sample mean, ${s.detectorCyclesMax} worst; CPU awake ${s.busyCyclesMean.toFixed(0)} mean, ${s.busyCyclesMax} worst of ${CYCLES_PER_SAMPLE_PERIOD.toFixed(0)}`,
    );
    expect(s.stackBytes).toBeGreaterThan(0);
    expect(ramBytes).toBeLessThan(ATMEGA328P_RAM_BYTES / 2);
    expect(run.stats.detectorCalls).toBeGreaterThanOrEqual(played.length);
    expect(run.stats.busyCyclesMean).toBeLessThan(0.25 * CYCLES_PER_SAMPLE_PERIOD);
  });
});
