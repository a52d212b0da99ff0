/**
 * `edgespike export-c [--network FILE] --out DIR`: write the ECG chain of a model as portable
 * C99 (`edgespike_ecg.h`, `edgespike_ecg.c`). The work is `app/exportC.ts`.
 */
import { exportEcgC } from '../app/exportC.ts';
import { defineCommand, NO_POSITIONALS, stringFlags } from './command.ts';

export const EXPORT_C_HELP = `Usage: edgespike export-c [--network FILE] --out DIR

Write the ECG beat detector (band-pass, delta modulator, spiking network, beat dating with the
model's search-back, if it has one; both band-passes and modulators and the switch between them
for the noise-switched network) of an ECG model as portable C99: DIR/edgespike_ecg.h and
DIR/edgespike_ecg.c. The C is bit-identical to edgespike's own kernels (same beats, same spike
counts): fixed-width integers only (int is 16 bits on AVR), no malloc, no floating point, no
division; all state in one struct. A network with an output other than the beat's and the
search-back's is refused.

Interface (see the header for the state's fields and the equations):
  edgespike_ecg_t s;  uint32_t beats[EDGESPIKE_ECG_MAX_BEATS];
  edgespike_ecg_init(&s);
  n = edgespike_ecg_process_sample(&s, sample, beats);  /* per sample: 5 uV counts at
                                          EDGESPIKE_ECG_RATE_HZ; n beats (sample indices) */
  n = edgespike_ecg_flush(&s, beats);                    /* at the end of the input */
  edgespike_ecg_input_spikes(&s), edgespike_ecg_neuron_spikes(&s)   /* counters */
The input must already be at the model's rate (360 Hz for the bundled model): the C does not
resample.

Build:
  cc -std=c99 -O2 -c DIR/edgespike_ecg.c            (any C99 compiler)
  avr-gcc -mmcu=atmega328p -Os -DEDGESPIKE_ECG_PRIME=0 -c DIR/edgespike_ecg.c
-DEDGESPIKE_ECG_PRIME=0 drops the buffer that holds the first block to set the first level
(as edgespike does by default); the C then matches edgespike's encoder run without priming.
Define it the same way wherever the header is included.

Options:
  --network FILE   the ECG model (a network file with meta.task "ecg-beat")
                   @default the bundled src/snn/networks/ecg-beat-noise-switched.json
                   (src/snn/networks/ecg-beat.json, the single-band network, is smaller:
                   the one the Arduino sketch in devices/ runs)
  --out DIR        where to write the two files (created if missing)
  -h, --help       show this help
`;

export default defineCommand({
  name: 'export-c',
  help: EXPORT_C_HELP,
  options: stringFlags('network', 'out'),
  positionals: NO_POSITIONALS,
  required: { out: 'DIR' },
  run: ({ values }) => {
    const written = exportEcgC(values.out, values.network);
    process.stderr.write(`export-c: wrote ${written.headerPath} and ${written.sourcePath} (model "${written.modelName}", SHA-256 ${written.modelSha256.slice(0, 12)}...)\n`);
    return Promise.resolve(0);
  },
});
