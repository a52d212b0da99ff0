/**
 * `edgespike classify <wav files or directories>...`: classify sound clips with an audio
 * model's fixed-point spiking network, one result per file, then a summary with the accuracy
 * (when names or folders give labels) and what the inferences cost in spikes, synaptic
 * operations, neuron updates and estimated energy against a dense non-spiking network
 * (`pipeline/classifyFiles.ts`; the output schema is `pipeline/classifyReport.ts`).
 *
 * A file that cannot be read is reported on stderr (one line naming it) and skipped; the
 * others are still classified and the exit status is 1 at the end.
 */
import { UsageError } from '../core/errors.ts';
import { createAudioClassifier } from '../pipeline/audioClassify.ts';
import { loadAudioModel } from '../pipeline/audioModel.ts';
import { audioConditions } from '../pipeline/audioStress.ts';
import { classifyFiles } from '../pipeline/classifyFiles.ts';
import { ACCUMULATE_PJ, MULTIPLY_ACCUMULATE_PJ } from '../snn/cost.ts';
import { wavChannel } from '../sources/wavFile.ts';
import { parseChoice, parseOutputFormat } from './args.ts';
import { booleanFlags, defineCommand, somePositionals, stringFlags } from './command.ts';
import { AUDIO_CONDITION_FLAGS, AUDIO_CONDITION_NEGATIVE_FLAGS, CLASSIFY_CONDITION_HELP, parseAudioConditionFlags } from './audioConditionFlags.ts';
import { loadNoiseFlag } from '../app/audioCondition.ts';
import { createProgressBar } from './progress.ts';

export const CLASSIFY_HELP = `Usage: edgespike classify <wav file or directory>... [options]

Classify sound clips (spoken digits with the bundled model) with the fixed-point spiking
network of an audio model: each WAV file is resampled to the model's rate, turned into UP/DOWN
spikes by the model's cochlea front end and run through the integer LIF network from rest;
the class whose readout has the highest mean over the clip wins.

A directory means every .wav file in it and its sub-folders, sorted by path. Labels, when
there are any, come from FSDD-style names ({label}_{speaker}_{index}.wav, e.g. 7_george_3.wav)
or, for files under a directory given here, from the first sub-folder below it (dir/yes/a.wav
is "yes"). Files without a label are classified but not counted in the accuracy. A model
trained with a background class (train --background) may call a clip _background_, "not a
word": a labelled clip called so is wrong, and the summary counts them apart ("not a word";
jsonl/json: "background", per condition too).

Options:
  --model FILE         audio model (network + front end, as "edgespike train" writes).
                       Default: the bundled src/snn/networks/digits.json
  --format jsonl|text  jsonl: one JSON object per line on stdout, per file
                       {"type":"classification","file":...,"label":"7","scores":[...],
                       "expected":"7","correct":true,"seconds":...,"spikes":...,...}
                       ({"type":"error",...} for a file that could not be read), then
                       {"type":"summary",...}. text: a table and a summary.
                       Default: text on a terminal, jsonl otherwise.
                       With conditions (below), every file is classified under each one:
                       jsonl lines carry "condition":{"gainDb":..,"snrDb":..,"noise":..,
                       "noiseOffset":..}, the summary "conditions":[{"gainDb","snrDb",
                       "noise","correct","total","accuracy"},...] (its other figures are
                       the first condition's); text prints one row per condition.
  --json               print only the summary, as one JSON document (no per-file lines;
                       errors on stderr)
  --channel K|mix      channel of multi-channel files: 0-based index, or mix (the mean of
                       all channels). Default: 0
  --split test|train   only the files of that split of "edgespike train": FSDD indices 0-4
                       are the test split; folder-labelled files, a fixed tenth chosen by a
                       hash of the path (give the folder as you gave it to train).
                       Unlabelled files are left out.
${CLASSIFY_CONDITION_HELP}
  -h, --help           show this help

Scores are each class readout's mean membrane over the clip, in units of the hidden neurons'
firing threshold (2^15 state units). Only the fixed-point network runs.

What the cost figures mean (per file, and in the summary per second of audio and per
inference):
  input spikes     UP/DOWN spikes from the cochlea into the network
  spikes           spikes fired by the network's (hidden) spiking neurons
  synaptic ops     one accumulate per spike per outgoing synapse (inputs and hidden)
  neuron updates   one state update per neuron per tick (leak shift and add)
  dense MACs       what a dense non-spiking network with the same weights would do: every
                   weight multiplied and accumulated every tick
  energy           spiking: ${ACCUMULATE_PJ} pJ x (synaptic ops + neuron updates); dense: ${MULTIPLY_ACCUMULATE_PJ} pJ x dense MACs
                   (32-bit float add ${ACCUMULATE_PJ} pJ, add + multiply ${MULTIPLY_ACCUMULATE_PJ} pJ, 45 nm CMOS; M. Horowitz,
                   "Computing's energy problem", ISSCC 2014). Arithmetic only: memory access,
                   which dominates on real chips, is left out of both; an estimate, not a
                   measurement. The ratio is what the spikes' sparsity buys.

Exit status: 0 when every file was classified; 1 when any could not be read (after the
others are done) or the model is missing or not an audio model; 2 for a wrong command line.

Examples:
  edgespike classify fixtures/audio-digits
  edgespike classify ../shared/datasets/fsdd --split test --format jsonl | tail -1
  edgespike classify recording.wav --model my-words.json --channel mix
  edgespike classify fixtures/audio-digits --gain-db 0,-20,-40
  edgespike classify ../shared/datasets/fsdd --split test --gain-db 0,-20 \\
    --noise ../shared/datasets/noise/white_noise.wav,../shared/datasets/noise/doing_the_dishes.wav --snr 20,10,0 --json
`;

function parseWavChannel(value: string | undefined): number | 'mix' {
  try {
    return wavChannel(value);
  } catch {
    throw new UsageError(`--channel must be a 0-based index or mix (got "${value}"); see edgespike classify --help`);
  }
}

export default defineCommand({
  name: 'classify',
  help: CLASSIFY_HELP,
  options: { ...stringFlags('model', 'format', 'channel', 'split'), ...booleanFlags('json'), ...AUDIO_CONDITION_FLAGS },
  negativeValues: AUDIO_CONDITION_NEGATIVE_FLAGS,
  positionals: somePositionals('WAV file or directory'),
  run: async ({ values, positionals }) => {
    const out = process.stdout;
    if (values.json === true && values.format !== undefined) throw new UsageError('--json prints the summary as one JSON document; leave out --format');
    const format = values.json === true ? 'json' : parseOutputFormat(values.format);
    const channel = parseWavChannel(values.channel);
    const split = parseChoice('split', values.split, ['test', 'train'] as const);
    const choice = parseAudioConditionFlags(values, false);
    const model = loadAudioModel(values.model);
    const classifier = createAudioClassifier(model);
    const noises = choice === undefined ? [] : await loadNoiseFlag(choice.noisePaths, model.frontEnd.sampleRateHz, choice.noisePart);
    const conditions = choice === undefined ? undefined : { list: audioConditions(choice.gainsDb, noises.length > 0 ? choice.snrsDb : undefined), noises, seed: choice.seed };
    const failed = await classifyFiles(
      { paths: positionals, classifier, modelPath: values.model, format, channel, split, ...(conditions === undefined ? {} : { conditions }) },
      { out, err: process.stderr, progress: (total) => createProgressBar(process.stderr, total) },
    );
    return failed > 0 ? 1 : 0;
  },
});
