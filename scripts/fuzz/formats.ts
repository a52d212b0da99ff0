/**
 * The input formats the fuzzer mutates, each with its seed files (the project's own fixtures,
 * networks, models and device profiles) and the real command that reads them. A format's
 * `make` builds one case from a seeded generator: the files to write into the case's folder
 * (mutated content, a directory where a file should be, or nothing where one is missing) and
 * the command line.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Rng } from '../../src/synth/random.ts';
import { asText, chance, int, mutateAnnotationWords, mutateBytes, mutateJson, mutateWav, mutateWfdbHeader, pick, type Mutated } from './mutate.ts';
import { csvSeeds, edfSeeds, projectFile, WAV_VARIANT_COUNT, wavSeed, wfdbSeeds } from './seeds.ts';

/** What stands at a path of a case's folder: a file, a directory, or a symbolic link to `link`. */
export type CaseFile = Buffer | 'directory' | { readonly link: string };

/** One fuzz case, before it is run. */
export interface FuzzCase {
  /** File name (relative to the case folder) → content; a name left out is not written. */
  readonly files: ReadonlyMap<string, CaseFile>;
  /** The edgespike arguments, given the case folder's absolute path. */
  readonly args: (dir: string) => string[];
  /** What stdout must be: one JSON object a line, one JSON document, or anything. */
  readonly stdout: 'jsonl' | 'json' | 'any';
  /** Progress lines the command writes on stderr as it goes (e.g. train's), not counted as errors. */
  readonly logLines?: RegExp;
  /** What was done to the seed, one entry per mutation. */
  readonly mutations: readonly string[];
}

/** An input format and how to make its cases. */
export interface FuzzFormat {
  readonly name: string;
  readonly description: string;
  readonly make: (rng: Rng, root: string) => FuzzCase;
}

const ECG = 'fixtures/synthetic-ecg/ecgsyn_360hz';
const WAV_DIR = 'fixtures/audio-digits';
const REPLAY_JSONL = ['--speed', 'max', '--format', 'jsonl'];
const FRONT_END = 'src/filterbank/frontends/digits.json';
/** A training that only builds the network from the front end and exports it: no epochs, 4 hidden neurons, one thread. */
const TRAIN_QUICK = ['--epochs', '0', '--qat-epochs', '0', '--hidden', '4', '--workers', '1', '--no-augment'];

/** 1 to 3 mutations stacked (half the cases have one). */
function stack(rng: Rng, input: Buffer, mutate: (rng: Rng, input: Buffer) => Mutated<Buffer>, mutations: string[]): Buffer {
  const count = chance(rng, 0.5) ? 1 : 2 + int(rng, 2);
  let out = input;
  for (let i = 0; i < count; i++) {
    let mutated: Mutated<Buffer>;
    try {
      mutated = mutate(rng, out);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      // JSON nested too deep for the tree's recursion (an earlier mutation's [[[[...]]]]): bytes instead.
      mutated = mutateBytes(rng, out);
    }
    out = mutated.value;
    mutations.push(mutated.what);
  }
  return out;
}

/**
 * The mutated content of a file, or (rarely) a directory in its place or no file at all.
 * @param name the file's name, for the description
 */
function mutateFile(rng: Rng, name: string, input: Buffer, mutate: (rng: Rng, input: Buffer) => Mutated<Buffer>, mutations: string[]): CaseFile | undefined {
  const roll = int(rng, 40);
  if (roll === 0) {
    mutations.push(`${name}: a directory instead`);
    return 'directory';
  }
  if (roll === 1) {
    mutations.push(`${name}: missing`);
    return undefined;
  }
  if (roll === 2) {
    // A file that never ends, one that is empty, and a link to itself.
    const link = pick(rng, ['/dev/zero', '/dev/urandom', '/dev/null', name]);
    mutations.push(`${name}: a link to ${link}`);
    return { link };
  }
  const before = mutations.length;
  const out = stack(rng, input, mutate, mutations);
  for (let i = before; i < mutations.length; i++) mutations[i] = `${name}: ${mutations[i] as string}`;
  return out;
}

/** A map of case files, leaving out the missing ones. */
function files(entries: [string, CaseFile | undefined][]): Map<string, CaseFile> {
  return new Map(entries.filter((e): e is [string, CaseFile] => e[1] !== undefined));
}

/** Text files get text mutations mostly, byte mutations sometimes. */
const textOrBytes = (rng: Rng, input: Buffer): Mutated<Buffer> => (chance(rng, 0.8) ? asText(rng, input) : mutateBytes(rng, input));
const wavOrBytes = (rng: Rng, input: Buffer): Mutated<Buffer> => (chance(rng, 0.6) ? mutateWav(rng, input) : mutateBytes(rng, input));
const atrOrBytes = (rng: Rng, input: Buffer): Mutated<Buffer> => (chance(rng, 0.5) ? mutateAnnotationWords(rng, input) : mutateBytes(rng, input));
const json = (rng: Rng, input: Buffer): Mutated<Buffer> => mutateJson(rng, input);
/** A header: its fields mostly, its text or bytes sometimes. */
const headerText = (rng: Rng, input: Buffer): Mutated<Buffer> => {
  if (!chance(rng, 0.5)) return textOrBytes(rng, input);
  const { value, what } = mutateWfdbHeader(rng, input.toString('utf8'));
  return { value: Buffer.from(value, 'utf8'), what };
};

/** A WFDB record (header, signal, annotations) with one of its files mutated. */
function wfdbCase(rng: Rng, root: string, which: 'hea' | 'dat' | 'atr'): FuzzCase {
  const mutations: string[] = [];
  // Annotations go with the fixture they describe; headers and signals start from any variant.
  const seeds = wfdbSeeds(root);
  const record = which === 'atr' ? (seeds[0] as (typeof seeds)[number]) : pick(rng, seeds);
  mutations.push(`seed ${record.name}`);
  const mutate = which === 'hea' ? headerText : which === 'dat' ? mutateBytes : atrOrBytes;
  const entries: [string, CaseFile | undefined][] = (['hea', 'dat'] as const).map((ext) => {
    const name = `ecgsyn_360hz.${ext}`;
    const bytes = record.files.get(name) as Buffer;
    return [name, ext === which ? mutateFile(rng, name, bytes, mutate, mutations) : bytes];
  });
  if (which === 'atr') {
    entries.push(['ecgsyn_360hz.atr', mutateFile(rng, 'ecgsyn_360hz.atr', projectFile(root, `${ECG}.atr`), mutate, mutations)]);
    return { files: files(entries), args: (dir) => ['eval', join(dir, 'ecgsyn_360hz'), '--json'], stdout: 'json', mutations };
  }
  const target = chance(rng, 0.8) ? 'ecgsyn_360hz' : 'ecgsyn_360hz.hea';
  const channel = chance(rng, 0.2) ? ['--channel', pick(rng, ['1', 'V1', '0'])] : [];
  return { files: files(entries), args: (dir) => ['replay', join(dir, target), ...channel, ...REPLAY_JSONL], stdout: 'jsonl', mutations };
}

/** An EDF file: its header's ASCII fields as text (the first 256 + 256·ns bytes), or any of its bytes. */
const edfOrBytes = (rng: Rng, input: Buffer): Mutated<Buffer> => {
  if (!chance(rng, 0.6)) return mutateBytes(rng, input);
  const ns = Number(input.subarray(252, 256).toString('latin1').trim());
  const headerBytes = Number.isInteger(ns) && ns >= 0 && ns < 64 ? Math.min(input.length, 256 * (ns + 1)) : Math.min(input.length, 256);
  const { value, what } = asText(rng, input.subarray(0, headerBytes));
  return { value: Buffer.concat([value, input.subarray(headerBytes)]), what: `header: ${what}` };
};

/** An EDF+ or BDF+ file mutated, replayed, or evaluated against its own beat annotations. */
function edfCase(rng: Rng, root: string): FuzzCase {
  const mutations: string[] = [];
  const seed = pick(rng, edfSeeds(root));
  mutations.push(`seed ${seed.name}`);
  const name = seed.name.startsWith('BDF') ? 'record.bdf' : 'record.edf';
  const file = mutateFile(rng, name, seed.bytes, edfOrBytes, mutations);
  const channel = chance(rng, 0.2) ? ['--channel', pick(rng, ['1', 'ECG V1', 'EDF Annotations', '0', 'ECG MLII'])] : [];
  const roll = int(rng, 10);
  if (roll < 3) return { files: files([[name, file]]), args: (dir) => ['eval', join(dir, name), ...channel, '--json'], stdout: 'json', mutations };
  if (roll < 5) {
    // convert reads it (samples and annotations in step) and writes EDF+ again.
    const out = pick(rng, ['out.edf', 'out.bdf']);
    return {
      files: files([[name, file]]),
      args: (dir) => ['convert', join(dir, name), ...channel, '--out', join(dir, out)],
      stdout: 'any',
      // Its one line on success says what it wrote.
      logLines: /^edgespike: wrote /,
      mutations,
    };
  }
  return { files: files([[name, file]]), args: (dir) => ['replay', join(dir, name), ...channel, ...REPLAY_JSONL], stdout: 'jsonl', mutations };
}

/** The WAV fixtures (the digit clips and the 3-1-4 stream). */
function wavSeeds(root: string): string[] {
  return readdirSync(join(root, WAV_DIR)).filter((f) => f.endsWith('.wav')).sort();
}

/** The device recordings (`<name>.bin` with `.json` and `.times`) and the task each replays with. */
const RECORDINGS: readonly { readonly name: string; readonly profile: string; readonly task: string[] }[] = [
  { name: 'ad8232-ecg.bin', profile: 'sparkfun-ad8232', task: [] },
  { name: 'cyton-ecg.bin', profile: 'openbci-cyton', task: [] },
  { name: 'pcm16-tone.bin', profile: 'edgespike-pcm16', task: ['--task', 'digits'] },
];

/** Device profiles: the device each belongs to (its recording replays with it). */
const PROFILES: readonly { readonly path: string; readonly device: string }[] = [
  { path: 'devices/sparkfun-ad8232/profile.json', device: 'sparkfun-ad8232' },
  { path: 'devices/sparkfun-ad8232/aref-3v3.profile.json', device: 'sparkfun-ad8232' },
  { path: 'devices/openbci-cyton/profile.json', device: 'openbci-cyton' },
  { path: 'devices/edgespike-pcm16/profile.json', device: 'edgespike-pcm16' },
  { path: 'devices/edgespike-pcm16/ecg-500hz.profile.json', device: 'edgespike-pcm16' },
];

/** The audio models (network and front end in one file). */
const MODELS: readonly string[] = ['src/snn/networks/digits.json', 'fixtures/models/digits-v1.json'];

/** An audio model mutated (the whole file, or only its front end), read by classify or replay --task digits. */
function modelCase(rng: Rng, root: string, subPath: readonly string[]): FuzzCase {
  const mutations: string[] = [];
  const source = pick(rng, MODELS);
  const mutate = (r: Rng, input: Buffer): Mutated<Buffer> => mutateJson(r, input, subPath);
  const model = mutateFile(rng, 'model.json', projectFile(root, source), mutate, mutations);
  mutations.unshift(`seed ${source}`);
  const clip = join(root, WAV_DIR, pick(rng, wavSeeds(root).filter((f) => !f.startsWith('stream'))));
  const stream = join(root, WAV_DIR, 'stream-3-1-4.wav');
  const classify = chance(rng, 0.6);
  return {
    files: files([['model.json', model]]),
    args: (dir) =>
      classify ? ['classify', clip, '--model', join(dir, 'model.json'), '--format', 'jsonl'] : ['replay', stream, '--model', join(dir, 'model.json'), ...REPLAY_JSONL],
    stdout: 'jsonl',
    mutations,
  };
}

/** Every format the fuzzer knows, in the order of its table. */
export const FORMATS: readonly FuzzFormat[] = [
  {
    name: 'wfdb-header',
    description: 'WFDB header (.hea) of the synthetic ECG, read by replay',
    make: (rng, root) => wfdbCase(rng, root, 'hea'),
  },
  {
    name: 'wfdb-signal',
    description: 'WFDB signal file (.dat, format 212), read by replay',
    make: (rng, root) => wfdbCase(rng, root, 'dat'),
  },
  {
    name: 'wfdb-annotations',
    description: 'WFDB reference annotations (.atr), read by eval',
    make: (rng, root) => wfdbCase(rng, root, 'atr'),
  },
  {
    name: 'edf',
    description: 'EDF+/BDF+ file of the synthetic ECG with beat annotations, read by replay, eval and convert',
    make: (rng, root) => edfCase(rng, root),
  },
  {
    name: 'csv',
    description: 'CSV record of the synthetic ECG, read by replay',
    make: (rng, root) => {
      const mutations: string[] = [];
      const source = pick(rng, csvSeeds(root));
      mutations.push(`seed ${source.name}`);
      const csv = mutateFile(rng, 'ecgsyn_360hz.csv', Buffer.from(source.text, 'utf8'), textOrBytes, mutations);
      return { files: files([['ecgsyn_360hz.csv', csv]]), args: (dir) => ['replay', join(dir, 'ecgsyn_360hz.csv'), ...source.args, ...REPLAY_JSONL], stdout: 'jsonl', mutations };
    },
  },
  {
    name: 'wav',
    description: 'WAV clips and the digit stream, read by classify and replay --task digits',
    make: (rng, root) => {
      const mutations: string[] = [];
      const source = wavSeed(root, join(WAV_DIR, pick(rng, wavSeeds(root))), int(rng, WAV_VARIANT_COUNT));
      const wav = mutateFile(rng, 'clip.wav', source.bytes, wavOrBytes, mutations);
      mutations.unshift(`seed ${source.name}`);
      const classify = chance(rng, 0.5);
      const channel = chance(rng, 0.2) ? ['--channel', pick(rng, ['1', 'mix', '0'])] : [];
      return {
        files: files([['clip.wav', wav]]),
        args: (dir) => classify ? ['classify', join(dir, 'clip.wav'), ...channel, '--format', 'jsonl'] : ['replay', join(dir, 'clip.wav'), '--task', 'digits', ...channel, ...REPLAY_JSONL],
        stdout: 'jsonl',
        mutations,
      };
    },
  },
  {
    name: 'recording',
    description: 'device recordings (.bin, .bin.json sidecar, .bin.times), read by replay',
    make: (rng, root) => {
      const mutations: string[] = [];
      const recording = pick(rng, RECORDINGS);
      mutations.push(`seed ${recording.name}`);
      const part = pick(rng, ['', '', '.json', '.json', '.times']);
      const entries: [string, CaseFile | undefined][] = ['', '.json', '.times'].map((ext) => {
        const name = `${recording.name}${ext}`;
        const bytes = projectFile(root, join('fixtures/devices', name));
        if (ext !== part) return [name, bytes];
        return [name, mutateFile(rng, name, bytes, ext === '' ? mutateBytes : ext === '.json' ? json : textOrBytes, mutations)];
      });
      return { files: files(entries), args: (dir) => ['replay', join(dir, recording.name), ...recording.task, ...REPLAY_JSONL], stdout: 'jsonl', mutations };
    },
  },
  {
    name: 'network',
    description: 'ECG network file (ecg-beat.json), read by replay --network',
    make: (rng, root) => {
      const mutations: string[] = [];
      const network = mutateFile(rng, 'network.json', projectFile(root, 'src/snn/networks/ecg-beat.json'), json, mutations);
      return {
        files: files([['network.json', network]]),
        args: (dir) => ['replay', join(root, ECG), '--network', join(dir, 'network.json'), ...REPLAY_JSONL],
        stdout: 'jsonl',
        mutations,
      };
    },
  },
  {
    name: 'model',
    description: 'audio model files (network and front end), read by classify --model and replay --model',
    make: (rng, root) => modelCase(rng, root, []),
  },
  {
    name: 'model-front-end',
    description: "an audio model's front end (meta.frontEnd) alone, read by classify --model and replay --model",
    make: (rng, root) => modelCase(rng, root, ['meta', 'frontEnd']),
  },
  {
    name: 'front-end',
    description: 'front-end files (src/filterbank/frontends), read by train --frontend (no training epochs, 4 clips)',
    make: (rng, root) => {
      const mutations: string[] = [];
      const frontEnd = mutateFile(rng, 'frontend.json', projectFile(root, FRONT_END), json, mutations);
      // FSDD names: index 0 is the test split, 5 the training split.
      const clips: [string, CaseFile][] = ['3_enus', '7_engb'].flatMap((clip): [string, CaseFile][] => [
        [`data/${clip}_0.wav`, projectFile(root, join(WAV_DIR, `${clip}_0.wav`))],
        [`data/${clip}_5.wav`, projectFile(root, join(WAV_DIR, `${clip.split('_')[0] as string}_enusf_0.wav`))],
      ]);
      return {
        files: files([['data', 'directory'], ...clips, ['frontend.json', frontEnd]]),
        args: (dir) => ['train', '--data', join(dir, 'data'), '--out', join(dir, 'model.json'), '--frontend', join(dir, 'frontend.json'), ...TRAIN_QUICK],
        stdout: 'jsonl',
        logLines: /^train: /,
        mutations,
      };
    },
  },
  {
    name: 'profile',
    description: 'device profiles, read by run --profile (no such device) and inside a recording sidecar by replay',
    make: (rng, root) => {
      const mutations: string[] = [];
      const source = pick(rng, PROFILES);
      const profile = mutateFile(rng, 'profile.json', projectFile(root, source.path), json, mutations);
      mutations.unshift(`seed ${source.path}`);
      const recording = RECORDINGS.find((r) => r.profile === source.device) as (typeof RECORDINGS)[number];
      if (chance(rng, 0.5) || !(profile instanceof Buffer)) {
        return {
          files: files([['profile.json', profile]]),
          args: (dir) => ['run', '--device', '/nonexistent/edgespike-fuzz-tty', '--profile', join(dir, 'profile.json'), '--format', 'jsonl'],
          stdout: 'jsonl',
          mutations,
        };
      }
      // The mutated profile inside a copy of the device's recording's sidecar, as its text is
      // (so a syntax error in the profile is one in the sidecar).
      const sidecarText = projectFile(root, join('fixtures/devices', `${recording.name}.json`)).toString('utf8');
      const parsed = JSON.parse(sidecarText) as Record<string, unknown>;
      const placeholder = '"__FUZZ_PROFILE__"';
      const sidecar = JSON.stringify({ ...parsed, profile: '__FUZZ_PROFILE__' }).replace(placeholder, profile.toString('utf8'));
      return {
        files: files([
          [recording.name, projectFile(root, join('fixtures/devices', recording.name))],
          [`${recording.name}.json`, Buffer.from(sidecar, 'utf8')],
          [`${recording.name}.times`, projectFile(root, join('fixtures/devices', `${recording.name}.times`))],
        ]),
        args: (dir) => ['replay', join(dir, recording.name), ...recording.task, ...REPLAY_JSONL],
        stdout: 'jsonl',
        mutations: [...mutations, `in the sidecar of ${recording.name}`],
      };
    },
  },
];
