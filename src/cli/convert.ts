/**
 * `edgespike convert <record> --out x.edf`: any recorded ECG into an EDF+ (or BDF+) file with
 * the detected beats as annotations (`app/convert.ts`).
 */
import { LIMITS } from '../core/limits.ts';
import { CSV_UNITS } from '../sources/csvFile.ts';
import { parseChannel, parseChoice, parseInLimit } from './args.ts';
import { defineCommand, onePositional, stringFlags } from './command.ts';
import { createProgressBar } from './progress.ts';

export const CONVERT_HELP = `Usage: edgespike convert <record> --out <file.edf|file.bdf> [options]

Write a recorded ECG as an EDF+ file (EDFbrowser, MNE, pyedflib and edgespike read it), with
the beats the spiking pipeline detects as EDF+ annotations "beat". The input is anything
replay takes: a WFDB record, a CSV file, an EDF/EDF+/BDF file, or a device recording made by
"edgespike record". Reference beats go along: a WFDB record's .atr beats as their MIT
symbols (N, V, ...), an EDF+ file's annotations as they are, so "edgespike eval" and
"edgespike plot" score and draw the converted file as they do the original. A device
recording's status changes (leads-off, connected, ...) become annotations too.

The samples are stored in 5 uV steps (the pipeline's resolution, exact for MIT-BIH): EDF
(16-bit) holds +-163.8 mV, BDF (24-bit) +-10 V; a sample beyond is stored as the limit and
counted in the report. One signal, data records of 1 s (longer when the rate is not whole).
The file is written as it is read, in bounded memory; Ctrl-C leaves a complete file of what
was converted so far. Progress goes to stderr when it is a terminal.

Options:
  --out FILE           the EDF+ (.edf) or BDF+ (.bdf) file to write (required)
  --format edf|bdf     must agree with the extension. Default: from the extension
  --channel K          signal to convert (0-based index or name). Default: 0
  --rate HZ            sample rate of a CSV file or a device recording
  --units mV|uV|counts units of a CSV column. Default: mV
  --network FILE       ECG network file for the beats. Default: the bundled network
  -h, --help           show this help

Example:
  edgespike convert ../shared/datasets/mitdb/101 --out 101.edf
  edgespike eval 101.edf
`;

// Not `export default defineCommand(...)`: TypeScript 5.9 does not rewrite the `.ts` of a dynamic
// import inside an `export default` expression when it builds dist/ (scripts/check-dist.js).
const command = defineCommand({
  name: 'convert',
  help: CONVERT_HELP,
  options: stringFlags('out', 'format', 'channel', 'rate', 'units', 'network'),
  positionals: onePositional('record'),
  required: { out: '<file.edf>' },
  run: async ({ values, positionals }) => {
    const inputPath = positionals[0] as string;
    const bar = createProgressBar(process.stderr, 100);
    const { convertRecord } = await import('../app/convert.ts');
    const result = await convertRecord({
      inputPath,
      outPath: values.out,
      format: parseChoice('format', values.format, ['edf', 'bdf'] as const),
      channel: parseChannel(values.channel),
      sampleRateHz: parseInLimit('rate', values.rate, LIMITS.sampleRateHz),
      units: parseChoice('units', values.units, CSV_UNITS),
      networkPath: values.network,
      onProgress: (fraction) => bar.update(100 * fraction, inputPath),
    });
    bar.done();
    const { totals } = result;
    const seconds = totals.samples / result.sampleRateHz;
    process.stderr.write(
      `edgespike: wrote ${values.out} (${result.format.toUpperCase()}+C, "${result.label}", ${result.sampleRateHz} Hz, ${seconds.toFixed(1)} s in ${totals.dataRecords} data records; ` +
        `${result.beats} beats detected, ${result.referenceAnnotations} reference annotations copied` +
        (totals.clampedSamples > 0 ? `; ${totals.clampedSamples} samples beyond the ${result.format.toUpperCase()} range stored as its limit${result.format === 'edf' ? ' (use .bdf)' : ''}` : '') +
        (result.interrupted ? '; stopped early' : '') +
        ')\n',
    );
    return 0;
  },
});

export default command;
