/**
 * The beats sketch's integer conversion of an ADC value to pipeline counts
 * (devices/sparkfun-ad8232/edgespike_ad8232_beats/ad8232_counts.h) against the host's decoder
 * for the profile sparkfun-ad8232, on the whole domain 0..1023, compiled with the host's gcc.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostCounts, SKETCH_DIR } from '../../scripts/avrSim.ts';
import { useTempDir } from '../helpers/records.ts';

const tempDir = useTempDir('edgespike-ad8232-counts-');
const haveGcc = spawnSync('sh', ['-c', 'command -v gcc']).status === 0;
if (!haveGcc) console.warn('[skip] ad8232_counts.h against the host decoder: gcc not found (apt-get install gcc)');

describe('ad8232_counts.h', () => {
  it('the host decoder rounds 352 (exactly 12.5 counts) down: the rule the header copies', () => {
    expect(Array.from(hostCounts([352, 0, 1023, 338, 337]))).toEqual([12, -300, 608, 0, -1]);
  });

  it.skipIf(!haveGcc)('equals the host decoder for every ADC value 0..1023', () => {
    const source = join(tempDir(), 'counts.c');
    writeFileSync(
      source,
      '#include <stdio.h>\n#include "ad8232_counts.h"\n' +
        'int main(void) { for (unsigned raw = 0; raw < 1024; raw++) printf("%ld\\n", (long)ad8232_adc_to_counts((uint16_t)raw)); return 0; }\n',
    );
    const exe = join(tempDir(), 'counts');
    execFileSync('gcc', ['-std=c99', '-Wall', '-Wextra', '-Werror', '-I', SKETCH_DIR, source, '-o', exe]);
    const board = execFileSync(exe, { encoding: 'utf8' }).trim().split('\n').map(Number);
    const values = Array.from({ length: 1024 }, (_, i) => i);
    expect(board).toEqual(Array.from(hostCounts(values)));
  });
});
