/**
 * `edgespike tune-ecg <mitdb directory>`: the procedure that made the bundled ECG network
 * (`app/tuneEcg.ts`, `pipeline/ecgTuning.ts`), over a chosen mix of sensor gains and noise levels.
 */
import { DEFAULT_HOLDOUT, tuneEcgNetwork } from '../app/tuneEcg.ts';
import { UsageError } from '../core/errors.ts';
import type { WeightedCondition } from '../pipeline/ecgTuning.ts';
import { conditionLabel, evalConditions } from '../pipeline/evalReport.ts';
import { defaultNoiseDir, loadNoiseMix } from '../pipeline/noiseRecordings.ts';
import { parseNumberList, parsePositiveInt } from './args.ts';
import { defineCommand, stringFlags } from './command.ts';

export const TUNE_ECG_HELP = `Usage: edgespike tune-ecg <mitdb directory> [options]

Developer command: re-tune the ECG beat network's design parameters on MIT-BIH records
(channel 0) by coordinate descent, starting from the bundled network's design. The search
minimises a weighted count of errors (FN + FP) on the tuning records under each condition:
the records as recorded, at other sensor gains, and with recorded noise at several SNRs
(as eval --gain/--noise makes them). The held-out records are scored only at the end.
Writes the network file with its design and the tuning report in "meta".

Options:
  --holdout LIST    comma-separated records kept out of the search. Default: ${DEFAULT_HOLDOUT.join(',')}
  --sweeps N        most passes over the parameters. Default: 6
  --out FILE        where to write the network. Default: the bundled network file
  --start FILE      network whose design to start from. Default: the bundled network
  --gain G[,G...]   also tune on the records at these sensor gains
  --noise NAMES     also tune on the records with this noise (e.g. bw,ma) at each --snr
  --snr DB[,DB...]  noise levels, dB. Default: 6,0
  --noise-dir DIR   where --noise names are. Default: nstdb beside the mitdb folder
  --weights LIST    weight of each condition's errors, in the order: as recorded, each
                    --gain, each --snr. Default: 10 for as recorded, 3 for SNR >= 6 dB,
                    1 for everything else
  -h, --help        show this help

Example:
  edgespike tune-ecg ../shared/datasets/mitdb --noise bw,ma --snr 6,0 --out tuned.json
`;

export default defineCommand({
  name: 'tune-ecg',
  help: TUNE_ECG_HELP,
  options: stringFlags('holdout', 'sweeps', 'out', 'start', 'gain', 'noise', 'snr', 'noise-dir', 'weights'),
  positionals: { min: 1, max: 1, says: () => 'needs the mitdb directory' },
  run: async ({ values, positionals }) => {
    if (values.snr !== undefined && values.noise === undefined) throw new UsageError('--snr needs --noise NAMES (e.g. --noise bw,ma)');
    const dir = positionals[0] as string;
    const holdout = values.holdout?.split(',') ?? DEFAULT_HOLDOUT;
    const sweeps = parsePositiveInt('sweeps', values.sweeps) ?? 6;
    const log = (line: string): void => void process.stderr.write(line + '\n');
    const noise = values.noise === undefined ? undefined : await loadNoiseMix(values.noise.split(','), values['noise-dir'] ?? defaultNoiseDir(`${dir}/x`), 0);
    const conditions = [
      { gain: 1 },
      ...(parseNumberList('gain', values.gain) ?? []).filter((g) => g !== 1).map((gain) => ({ gain })),
      ...(noise === undefined ? [] : evalConditions([1], noise, parseNumberList('snr', values.snr, { allowNegative: true }) ?? [6, 0])),
    ];
    const weights = parseNumberList('weights', values.weights) ?? conditions.map((c, i) => (i === 0 ? 10 : (c.snrDb ?? -Infinity) >= 6 ? 3 : 1));
    if (weights.length !== conditions.length) {
      throw new UsageError(`--weights needs ${conditions.length} values (${conditions.map(conditionLabel).join(', ')}); got ${weights.length}`);
    }
    const weighted: WeightedCondition[] = conditions.map((c, i) => ({ ...c, weight: weights[i] as number }));
    const report = await tuneEcgNetwork({ dir, holdout, sweeps, conditions: weighted, startPath: values.start, outPath: values.out, log });
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
    return 0;
  },
});
