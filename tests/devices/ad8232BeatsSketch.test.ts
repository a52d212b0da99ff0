/**
 * The beats sketch's copy of the exported detector cannot drift: edgespike_ecg/edgespike_ecg.c
 * and .h in devices/sparkfun-ad8232/edgespike_ad8232_beats are byte for byte what
 * `edgespike export-c` writes now for the single-band ECG network, the one the board runs. (After
 * a change to that model or the generator: `node bin/edgespike.js export-c --network
 * src/snn/networks/ecg-beat.json --out devices/sparkfun-ad8232/edgespike_ad8232_beats/edgespike_ecg`,
 * then run the simavr test.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportEcgC } from '../../src/app/exportC.ts';
import { SINGLE_BAND_ECG_MODEL_PATH } from '../../src/pipeline/ecgModel.ts';
import { PROJECT_ROOT } from '../helpers/datasets.ts';
import { useTempDir } from '../helpers/records.ts';

const SKETCH_DIR = join(PROJECT_ROOT, 'devices', 'sparkfun-ad8232', 'edgespike_ad8232_beats');

const tempDir = useTempDir('edgespike-ad8232-sketch-');

describe('the beats sketch folder', () => {
  it.each(['edgespike_ecg.h', 'edgespike_ecg.c'])('holds the %s export-c writes now', (file) => {
    exportEcgC(tempDir(), SINGLE_BAND_ECG_MODEL_PATH); // the board runs the single-band network
    const now = readFileSync(join(tempDir(), file), 'utf8');
    const committed = readFileSync(join(SKETCH_DIR, 'edgespike_ecg', file), 'utf8');
    expect(now.length).toBeGreaterThan(1000);
    expect(committed === now, `${file} differs from export-c's output: regenerate it (see this file's comment)`).toBe(true);
  });

  it('builds the detector unprimed, in one place for the .ino and the .c', () => {
    const config = readFileSync(join(SKETCH_DIR, 'edgespike_ecg_config.h'), 'utf8');
    expect(config).toMatch(/^#define EDGESPIKE_ECG_PRIME 0$/m);
    const ino = readFileSync(join(SKETCH_DIR, 'edgespike_ad8232_beats.ino'), 'utf8');
    const wrapper = readFileSync(join(SKETCH_DIR, 'edgespike_ecg_unprimed.c'), 'utf8');
    // The config comes before the detector's header in both (the struct depends on it).
    expect(ino.indexOf('#include "edgespike_ecg_config.h"')).toBeLessThan(ino.indexOf('#include "edgespike_ecg/edgespike_ecg.h"'));
    expect(wrapper.indexOf('#include "edgespike_ecg_config.h"')).toBeLessThan(wrapper.indexOf('#include "edgespike_ecg/edgespike_ecg.c"'));
    expect(ino).not.toMatch(/^#define EDGESPIKE_ECG_PRIME/m);
  });
});
