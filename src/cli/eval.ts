/**
 * `edgespike eval <records or directories>...`: beat-detection accuracy against reference
 * annotations, per record and pooled (gross).
 */
import { UsageError } from '../core/errors.ts';
import { parseChannel, parseNumberList, parsePositive, parsePositiveInt } from './args.ts';
import { booleanFlags, defineCommand, somePositionals, stringFlags } from './command.ts';
import { createProgressBar } from './progress.ts';

/** Most error plots per record, by default. */
export const DEFAULT_PLOTS_MAX = 50;

export const EVAL_HELP = `Usage: edgespike eval <record or directory>... [options]

Run the ECG pipeline on annotated WFDB records and score its beats against the reference
beats (annotation codes N L R B A a J S V r F e j n E / f Q ?): one-to-one matching within
+-150 ms over the whole record. Prints per record and pooled over all records (gross):
TP, FP, FN, Sensitivity (Se), Positive predictivity (+P), F1, and the mean absolute error
of the heart rate against the same formula applied to the reference beats.
When records carry rhythm annotations (aux "(AFIB", "(N", ... in the .atr), a second table
scores the pipeline's atrial fibrillation (rhythm) events: AF episode sensitivity and positive
predictivity, duration-weighted Se and +P, and seconds of AF; only "(AFIB" is AF ("(AFL"
flutter is not). --json carries the same as "af" in each record and in "gross".

A directory means every NAME.hea in it that has a NAME.atr, and every .edf/.bdf file
(scored against its EDF+ annotations whose text is a beat symbol: N, V, ...; "convert"
writes them from a WFDB record's .atr).

Options:
  --channel K        signal to use (0-based index or name). Default: 0
  --tolerance-ms MS  matching window, +- milliseconds. Default: 150
  --network FILE     ECG network file. Default: the bundled network
                     (src/snn/networks/ecg-beat-noise-switched.json; the single-band one is
                     src/snn/networks/ecg-beat.json)
  --json             print a machine-readable JSON report instead of the table
  --gain G[,G...]    score the records as a sensor with gain G would deliver them: the signal
                     scaled by G in physical units, then rounded to the record's ADC resolution
                     (0.1 = a tenth of the recorded amplitude). One gross row per gain.
  --noise NAMES      add recorded noise by the MIT-BIH noise stress test's method (nst):
                     comma-separated WFDB records summed (bw = baseline wander, ma = muscle,
                     em = electrode motion), scaled to --snr on each record's QRS amplitude,
                     clean for 5 min, then noisy and clean in turn every 2 min
  --snr DB[,DB...]   signal-to-noise ratios for --noise, dB. Default: 12,6,0
  --noise-dir DIR    where --noise names are. Default: an nstdb folder beside the records'
                     folder (../shared/datasets/mitdb → ../shared/datasets/nstdb)
  --hrv              also heart-rate variability of each whole record, from the reference
                     beats and from the detected beats (mean NN, SDNN, RMSSD, pNN50, LF,
                     HF, LF/HF of the NN intervals, as replay's hrv lines compute them),
                     and how far apart they are: how much detection error moves HRV
  --plots DIR        for every false positive and false negative, an SVG of the 10 s around
                     it (as edgespike plot draws it) in DIR (created if missing), named
                     <record>_<seconds>s_<FP|FN|FP+FN>.svg (seconds zero-padded, so the
                     names sort by time); errors within the same 10 s share one plot
  --plots-max N      at most N plots per record (the rest are counted on stderr). Default: 50
  -h, --help         show this help

Example:
  edgespike eval ../shared/datasets/mitdb
  edgespike eval ../shared/datasets/mitdb/208 ../shared/datasets/mitdb/203 --json
  edgespike eval ../shared/datasets/mitdb/105 --plots errors-105
  edgespike eval ../shared/datasets/mitdb --gain 0.1,0.2,0.5,1,2,5,10
  edgespike eval ../shared/datasets/mitdb --noise bw,ma --snr 12,6,0
  edgespike eval ../shared/datasets/mitdb --hrv
`;

// Not `export default defineCommand(...)`: TypeScript 5.9 does not rewrite the `.ts` of a dynamic
// import inside an `export default` expression when it builds dist/ (scripts/check-dist.js).
const command = defineCommand({
  name: 'eval',
  help: EVAL_HELP,
  options: { ...stringFlags('channel', 'tolerance-ms', 'network', 'plots', 'plots-max', 'gain', 'noise', 'snr', 'noise-dir'), ...booleanFlags('json', 'hrv') },
  positionals: somePositionals('record or directory'),
  run: async ({ values, positionals }) => {
    const toleranceMs = parsePositive('tolerance-ms', values['tolerance-ms']) ?? 150;
    const plotsMax = parsePositiveInt('plots-max', values['plots-max']) ?? DEFAULT_PLOTS_MAX;
    if (values['plots-max'] !== undefined && values.plots === undefined) throw new UsageError('--plots-max needs --plots DIR');
    const gains = parseNumberList('gain', values.gain);
    if (values.snr !== undefined && values.noise === undefined) throw new UsageError('--snr needs --noise NAMES (e.g. --noise bw,ma)');
    if (values['noise-dir'] !== undefined && values.noise === undefined) throw new UsageError('--noise-dir needs --noise NAMES');
    const snrs = parseNumberList('snr', values.snr, { allowNegative: true }) ?? [12, 6, 0];
    let bar: ReturnType<typeof createProgressBar> | undefined;
    const { runEval } = await import('../app/evaluate.ts');
    const report = await runEval(
      {
        paths: positionals,
        networkPath: values.network,
        channel: parseChannel(values.channel),
        toleranceMs,
        gains,
        noise: values.noise === undefined ? undefined : { names: values.noise.split(',').filter((n) => n !== ''), dir: values['noise-dir'] },
        snrs,
        plots: values.plots === undefined ? undefined : { dir: values.plots, max: plotsMax },
        json: values.json === true,
        hrv: values.hrv === true,
      },
      {
        start: (total) => (bar = createProgressBar(process.stderr, total)),
        update: (done, label) => bar?.update(done, label),
        done: () => bar?.done(),
      },
    );
    process.stdout.write(report);
    return 0;
  },
});

export default command;
