import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError, InputNotFoundError, ValidationError } from '../../src/core/errors.ts';
import { createWavDecoder, decodeWavChunk, encodeWav, finishWavDecoder, maxWavFrames, parseWavHeader } from '../../src/formats/wav.ts';
import { AUDIO_UNITS, listWavFiles, openWavFile, WAV_MIX_CHANNEL, wavChannel } from '../../src/sources/wavFile.ts';
import { datasetPath, haveDataset, PROJECT_ROOT, readDatasetBytes } from '../helpers/datasets.ts';
import { collectChunks, expectSyncLikeAsync, firstDifference, lcgInts, openDescriptorsOn, useTempDir } from '../helpers/records.ts';

const tempDir = useTempDir('edgespike-wav-');

/** Read a whole file through `openWavFile`. */
async function readWav(path: string, channel: number | 'mix', chunkSamples: number): Promise<Int32Array> {
  const { chunks } = await openWavFile(path, { channel, chunkSamples });
  return (await collectChunks(chunks(), chunkSamples)).samples;
}

/** Channel `c` of interleaved frames. */
function channelOf(flat: ArrayLike<number>, channels: number, c: number): Int32Array {
  return Int32Array.from({ length: flat.length / channels }, (_, t) => flat[t * channels + c] as number);
}

/** The file's data decoded in one piece by the pure decoder. */
function decodeWhole(bytes: Uint8Array, channel: number | 'mix' = 0): Int32Array {
  const header = parseWavHeader(bytes);
  const decoder = createWavDecoder(header, { channel });
  const data = bytes.subarray(header.dataOffset);
  const out = new Int32Array(maxWavFrames(decoder, data.length));
  const n = decodeWavChunk(decoder, data, out);
  finishWavDecoder(decoder);
  return out.subarray(0, n);
}

describe('openWavFile: samples', () => {
  // 40 000 stereo 16-bit frames: 160 000 bytes, longer than one 64 KiB read block.
  const flat = lcgInts(80000, -32768, 32767, 7);
  const stereoPath = (): string => {
    const path = join(tempDir(), 'stereo16.wav');
    writeFileSync(path, encodeWav(flat, { sampleRateHz: 16000, channels: 2 }));
    return path;
  };

  it('16-bit stereo over several blocks: each channel and the mix, any chunk size', async () => {
    const path = stereoPath();
    const left = channelOf(flat, 2, 0);
    const right = channelOf(flat, 2, 1);
    const mix = left.map((l, t) => Math.floor((l + (right[t] as number)) / 2));
    for (const chunkSamples of [512, 1, 777, 40000, 100000]) {
      expect(firstDifference(await readWav(path, 0, chunkSamples), left)).toBe(-1);
      expect(firstDifference(await readWav(path, 1, chunkSamples), right)).toBe(-1);
      expect(firstDifference(await readWav(path, 'mix', chunkSamples), mix)).toBe(-1);
    }
    const { chunks } = await openWavFile(path);
    const read = await collectChunks(chunks(), 512);
    expect(read.chunkCount).toBe(Math.ceil(40000 / 512));
    expect(read.sampleRateHz).toBe(16000);
  });

  it('describes the file', async () => {
    const { info } = await openWavFile(stereoPath(), { channel: 1 });
    expect(info).toMatchObject({
      kind: 'wav',
      recordName: 'stereo16',
      sampleRateHz: 16000,
      samplesPerSignal: 40000,
      durationSeconds: 2.5,
      channel: 1,
      channelName: 'ch1',
      units: AUDIO_UNITS,
      channels: 2,
      bitsPerSample: 16,
      format: 'pcm',
      frames: 40000,
    });
    const mixed = (await openWavFile(stereoPath(), { channel: 'mix' })).info;
    expect(mixed).toMatchObject({ channel: WAV_MIX_CHANNEL, channelName: 'mix' });
  });

  it('24-bit, 32-bit, 8-bit and float files on the audio scale, across block boundaries', async () => {
    const n = 30001; // 24-bit mono: 90 003 bytes, odd: the data chunk has a pad byte
    const v24 = lcgInts(n, -8388608, 8388607, 3);
    const p24 = join(tempDir(), 'mono24.wav');
    writeFileSync(p24, encodeWav(v24, { sampleRateHz: 48000, bitsPerSample: 24 }));
    expect(firstDifference(await readWav(p24, 0, 333), v24.map((v) => v >> 8))).toBe(-1);

    const v32 = lcgInts(3 * 9000, -2147483648, 2147483647, 4);
    const p32 = join(tempDir(), 'three32.wav');
    writeFileSync(p32, encodeWav(v32, { sampleRateHz: 8000, bitsPerSample: 32, channels: 3, extensible: true }));
    expect(firstDifference(await readWav(p32, 2, 512), channelOf(v32, 3, 2).map((v) => v >> 16))).toBe(-1);

    const v8 = lcgInts(70000, -128, 127, 5);
    const p8 = join(tempDir(), 'mono8.wav');
    writeFileSync(p8, encodeWav(v8, { sampleRateHz: 11025, bitsPerSample: 8 }));
    expect(firstDifference(await readWav(p8, 0, 4096), v8.map((v) => v << 8))).toBe(-1);

    const f = Float32Array.from(lcgInts(20000, -1100, 1100, 6), (v) => v / 1000); // some beyond ±1: saturated
    const pf = join(tempDir(), 'float.wav');
    writeFileSync(pf, encodeWav(f, { sampleRateHz: 44100, float: true }));
    const expected = Int32Array.from(f, (x) => Math.max(-32767, Math.min(32767, Math.round(x * 32767))));
    expect(firstDifference(await readWav(pf, 0, 1000), expected)).toBe(-1);
    expect((await openWavFile(pf)).info).toMatchObject({ format: 'float', bitsPerSample: 32, sampleRateHz: 44100 });
  });

  it('finds the samples behind a LIST chunk larger than a read block, and a streaming writer\'s unknown data size', async () => {
    const samples = lcgInts(5000, -30000, 30000, 8);
    const path = join(tempDir(), 'bigList.wav');
    const list = { id: 'LIST', bytes: new Uint8Array(100001).fill(0x41) }; // odd: padded
    writeFileSync(path, encodeWav(samples, { sampleRateHz: 8000, chunksBefore: [list], dataSizeField: 0xffffffff }));
    const { info } = await openWavFile(path);
    expect(info.header).toMatchObject({ dataOffset: 12 + 24 + 8 + 100002 + 8, dataSizeKnown: false, frames: 5000 });
    expect(await readWav(path, 0, 512)).toEqual(samples);
  });

  it('a truncated file: every whole frame before the end, then a FormatError giving both sizes', async () => {
    const samples = lcgInts(50000, -30000, 30000, 9);
    const whole = encodeWav(samples, { sampleRateHz: 8000 });
    const path = join(tempDir(), 'cut.wav');
    writeFileSync(path, whole.subarray(0, 44 + 2 * 40000 + 1)); // 40 000 frames and one byte
    const { chunks } = await openWavFile(path, { chunkSamples: 512 });
    const got: Int32Array[] = [];
    let failure: unknown;
    try {
      for await (const chunk of chunks()) got.push(chunk.samples);
    } catch (error) {
      failure = error;
    }
    expect(failure).toEqual(
      new FormatError(
        `${path}: the data chunk should hold 100000 bytes (50000 frames) but the file ends after 80001 ` +
          '(40000 whole frames were read); the file is truncated',
      ),
    );
    const read = Int32Array.from(got.flatMap((c) => [...c]));
    expect(read).toEqual(samples.subarray(0, 40000));
    expect(openDescriptorsOn(path) ?? 0).toBe(0);
  });

  it('closes the file when the reader stops early', async () => {
    const path = stereoPath();
    const { chunks } = await openWavFile(path, { chunkSamples: 100 });
    for await (const chunk of chunks()) {
      expect(chunk.startSample).toBe(0);
      break;
    }
    expect(openDescriptorsOn(path) ?? 0).toBe(0);
  });
});

describe('openWavFile: errors', () => {
  it('a missing file, a folder, a file that is not WAV', async () => {
    const missing = join(tempDir(), 'gone.wav');
    await expect(openWavFile(missing)).rejects.toThrow(new InputNotFoundError(`${missing}: file not found`));
    await expect(openWavFile(tempDir())).rejects.toThrow(
      new InputNotFoundError(`${tempDir()}: is not a file; give the path of a .wav file`),
    );
    const text = join(tempDir(), 'text.wav');
    writeFileSync(text, 'hello, this is not audio');
    await expect(openWavFile(text)).rejects.toThrow(
      new FormatError(`${text}: not a RIFF file: it starts with "hell", not "RIFF"; give a .wav file`),
    );
    const empty = join(tempDir(), 'empty.wav');
    writeFileSync(empty, '');
    await expect(openWavFile(empty)).rejects.toThrow(new FormatError(`${empty}: is empty (0 bytes); give a .wav file`));
  });

  it('a channel the file does not have, and a bad chunk size', async () => {
    const path = join(tempDir(), 'two.wav');
    writeFileSync(path, encodeWav([1, 2, 3, 4], { sampleRateHz: 8000, channels: 2 }));
    await expect(openWavFile(path, { channel: 2 })).rejects.toThrow(
      new ValidationError(`${path}: there is no channel 2: the file has 2 channels; pick 0..1 or 'mix'`),
    );
    await expect(openWavFile(path, { chunkSamples: 0 })).rejects.toThrow(
      new ValidationError('"chunkSamples" must be an integer >= 1 (got 0)'),
    );
  });
});

describe('the FSDD recording 0_george_0.wav', () => {
  const present = haveDataset('FSDD WAV decoding', ['fsdd/0_george_0.wav']);
  it.skipIf(!present)('decodes whole and in chunks alike: 2384 frames at 8000 Hz', async () => {
    const path = datasetPath('fsdd', '0_george_0.wav');
    const bytes = readDatasetBytes('fsdd', '0_george_0.wav');
    const whole = decodeWhole(bytes);
    expect(whole.length).toBe(2384);
    expect([...whole.subarray(0, 4)]).toEqual([-1489, -962, -606, 163]); // 2F FA, 3E FC, A2 FD, A3 00
    // The pure decoder fed the data in awkward pieces.
    const header = parseWavHeader(bytes);
    const decoder = createWavDecoder(header);
    const pieces: number[] = [];
    const sizes = [1, 3, 7, 1000];
    for (let at = header.dataOffset, k = 0; at < bytes.length; k++) {
      const piece = bytes.subarray(at, at + (sizes[k % sizes.length] as number));
      const out = new Int32Array(maxWavFrames(decoder, piece.length));
      pieces.push(...out.subarray(0, decodeWavChunk(decoder, piece, out)));
      at += piece.length;
    }
    finishWavDecoder(decoder);
    expect(Int32Array.from(pieces)).toEqual(whole);
    // The source, in chunks of several sizes.
    for (const chunkSamples of [512, 1, 100, 5000]) expect(await readWav(path, 0, chunkSamples)).toEqual(whole);
    const { info } = await openWavFile(path);
    expect(info).toMatchObject({ sampleRateHz: 8000, channels: 1, bitsPerSample: 16, frames: 2384, durationSeconds: 0.298 });
  });
});

describe('listWavFiles', () => {
  it('lists .wav files in a folder and its sub-folders, sorted, ignoring other files', async () => {
    const root = join(tempDir(), 'set');
    mkdirSync(join(root, 'b', 'deep'), { recursive: true });
    mkdirSync(join(root, 'a'), { recursive: true });
    const wav = encodeWav([0], { sampleRateHz: 8000 });
    for (const name of ['b/2_x_0.wav', 'a/1_x_0.WAV', '0_x_10.wav', '0_x_9.wav', 'b/deep/9_y_1.wav']) writeFileSync(join(root, name), wav);
    writeFileSync(join(root, 'notes.txt'), 'x');
    writeFileSync(join(root, 'a', 'sidecar.json'), '{}');
    symlinkSync(join(root, '0_x_9.wav'), join(root, 'link.wav'));
    symlinkSync(join(root, 'missing.wav'), join(root, 'dangling.wav'));
    expect(await listWavFiles(root)).toEqual(
      ['0_x_10.wav', '0_x_9.wav', 'a/1_x_0.WAV', 'b/2_x_0.wav', 'b/deep/9_y_1.wav', 'link.wav'].map((n) => join(root, n)),
    );
    expect(await listWavFiles(root, { recursive: false })).toEqual(['0_x_10.wav', '0_x_9.wav', 'link.wav'].map((n) => join(root, n)));
    expect(await listWavFiles(join(root, 'a', '1_x_0.WAV'))).toEqual([join(root, 'a', '1_x_0.WAV')]);
  });

  it('says when there is nothing to read', async () => {
    const dir = join(tempDir(), 'nothing');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'sub', 'a.wav'), '');
    writeFileSync(join(dir, 'readme.txt'), '');
    await expect(listWavFiles(dir, { recursive: false })).rejects.toThrow(
      new InputNotFoundError(`${dir}: holds no .wav files; give a .wav file or a folder of them`),
    );
    expect(await listWavFiles(dir)).toEqual([join(dir, 'sub', 'a.wav')]);
    const empty = join(tempDir(), 'empty-dir');
    mkdirSync(empty);
    await expect(listWavFiles(empty)).rejects.toThrow(
      new InputNotFoundError(`${empty}: holds no .wav files (sub-folders included); give a .wav file or a folder of them`),
    );
    await expect(listWavFiles(join(dir, 'readme.txt'))).rejects.toThrow(
      new ValidationError(`${join(dir, 'readme.txt')}: is not a .wav file; give a .wav file or a folder of them`),
    );
    await expect(listWavFiles(join(dir, 'gone'))).rejects.toThrow(new InputNotFoundError(`${join(dir, 'gone')}: file not found`));
  });
});

describe('wavChannel', () => {
  it('reads indices, ch<k> and mix', () => {
    expect(wavChannel(undefined)).toBe(0);
    expect(wavChannel(3)).toBe(3);
    expect(wavChannel('2')).toBe(2);
    expect(wavChannel('CH1')).toBe(1);
    expect(wavChannel('Mix')).toBe('mix');
  });
});

describe('the audio-digits fixtures', () => {
  const FOLDER = resolve(PROJECT_ROOT, 'fixtures', 'audio-digits');

  it('are 8 kHz mono 16-bit clips of every digit in 3 voices, named {digit}_{voice}_{index}.wav, under 1 MB', async () => {
    const files = await listWavFiles(FOLDER);
    const clips = files.filter((f) => /\/\d_[a-z]+_\d+\.wav$/.test(f));
    expect(clips.length).toBe(30);
    expect(files.length).toBe(31); // and the stream
    let bytes = 0;
    for (const voice of ['enus', 'engb', 'enusf']) {
      for (let digit = 0; digit <= 9; digit++) expect(clips).toContain(join(FOLDER, `${digit}_${voice}_0.wav`));
    }
    for (const file of files) {
      const { info } = await openWavFile(file);
      expect(info).toMatchObject({ sampleRateHz: 8000, channels: 1, bitsPerSample: 16, format: 'pcm' });
      bytes += readFileSync(file).length;
      if (clips.includes(file)) expect(info.durationSeconds).toBeGreaterThan(0.25);
      if (clips.includes(file)) expect(info.durationSeconds).toBeLessThan(1);
    }
    expect(bytes).toBeLessThan(1024 * 1024);
  });

  it('the stream holds its digits where its sidecar says, with silence between', async () => {
    const sidecar = JSON.parse(readFileSync(join(FOLDER, 'stream-3-1-4.json'), 'utf8')) as {
      sampleRateHz: number;
      silenceSeconds: number;
      digits: { label: string; startSeconds: number; endSeconds: number; startSample: number; endSample: number; source: string }[];
    };
    expect(sidecar.digits.map((d) => d.label)).toEqual(['3', '1', '4']);
    const stream = await readWav(join(FOLDER, 'stream-3-1-4.wav'), 0, 512);
    let silentFrom = 0;
    for (const d of sidecar.digits) {
      expect(d.startSeconds).toBeCloseTo(d.startSample / 8000, 9);
      expect(d.endSeconds).toBeCloseTo(d.endSample / 8000, 9);
      expect(d.startSample - silentFrom).toBe(0.8 * 8000);
      expect(stream.subarray(silentFrom, d.startSample).every((v) => v === 0)).toBe(true);
      expect(stream.subarray(d.startSample, d.endSample)).toEqual(await readWav(join(FOLDER, d.source), 0, 512));
      silentFrom = d.endSample;
    }
    expect(stream.length - silentFrom).toBe(0.8 * 8000);
    expect(stream.subarray(silentFrom).every((v) => v === 0)).toBe(true);
  });
});

describe('openWavFile: syncChunks gives what chunks() gives', () => {
  it('every fixture, and the stream, in chunks of 512 and 333', async () => {
    const dir = join(PROJECT_ROOT, 'fixtures', 'audio-digits');
    const paths = await listWavFiles(dir);
    expect(paths.length).toBe(31);
    for (const path of paths) {
      for (const chunkSamples of [512, 333]) {
        const outcome = await expectSyncLikeAsync(await openWavFile(path, { chunkSamples }));
        expect(outcome.error).toBeUndefined();
      }
    }
  });

  it('16-bit stereo over several blocks, each channel and the mix; 24-bit with a pad byte, 32-bit, 8-bit, float', async () => {
    const stereo = join(tempDir(), 'sync-stereo16.wav');
    writeFileSync(stereo, encodeWav(lcgInts(80000, -32768, 32767, 7), { sampleRateHz: 16000, channels: 2 }));
    for (const channel of [0, 1, 'mix'] as const) {
      for (const chunkSamples of [1, 777, 40000, 100000]) await expectSyncLikeAsync(await openWavFile(stereo, { channel, chunkSamples }));
    }
    const p24 = join(tempDir(), 'sync-mono24.wav');
    writeFileSync(p24, encodeWav(lcgInts(30001, -8388608, 8388607, 3), { sampleRateHz: 48000, bitsPerSample: 24 }));
    const p32 = join(tempDir(), 'sync-three32.wav');
    writeFileSync(p32, encodeWav(lcgInts(3 * 9000, -2147483648, 2147483647, 4), { sampleRateHz: 8000, bitsPerSample: 32, channels: 3, extensible: true }));
    const p8 = join(tempDir(), 'sync-mono8.wav');
    writeFileSync(p8, encodeWav(lcgInts(70000, -128, 127, 5), { sampleRateHz: 11025, bitsPerSample: 8 }));
    const pf = join(tempDir(), 'sync-float.wav');
    writeFileSync(pf, encodeWav(Float32Array.from(lcgInts(20000, -1100, 1100, 6), (v) => v / 1000), { sampleRateHz: 44100, float: true }));
    for (const [path, channel] of [[p24, 0], [p32, 2], [p8, 0], [pf, 0]] as const) {
      expect((await expectSyncLikeAsync(await openWavFile(path, { channel, chunkSamples: 333 }))).error).toBeUndefined();
    }
  });

  it('a truncated file (inside a frame, after a whole frame, inside the header\'s data size): the same frames, then the same FormatError', async () => {
    const whole = encodeWav(lcgInts(2 * 50000, -30000, 30000, 9), { sampleRateHz: 8000, channels: 2 });
    for (const bytes of [44 + 4 * 40000 + 1, 44 + 4 * 40000, 44 + 3, 44 + 4 * 16384 + 2]) {
      const path = join(tempDir(), `sync-cut-${bytes}.wav`);
      writeFileSync(path, whole.subarray(0, bytes));
      const outcome = await expectSyncLikeAsync(await openWavFile(path, { channel: 1, chunkSamples: 512 }));
      expect(outcome.error).toMatch(/^FormatError: .*the file is truncated$/);
      expect(openDescriptorsOn(path) ?? 0).toBe(0);
    }
  });

  it('a file removed after opening: the same error; stopping early closes the file', async () => {
    const path = join(tempDir(), 'sync-gone.wav');
    writeFileSync(path, encodeWav(lcgInts(5000, -30000, 30000, 10), { sampleRateHz: 8000 }));
    const opened = await openWavFile(path, { chunkSamples: 100 });
    for (const chunk of opened.syncChunks()) {
      expect(chunk.startSample).toBe(0);
      expect(openDescriptorsOn(path) ?? 1).toBe(1);
      break;
    }
    expect(openDescriptorsOn(path) ?? 0).toBe(0);
    rmSync(path);
    expect((await expectSyncLikeAsync(opened)).error).toBe(`InputNotFoundError: ${path}: file not found`);
  });
});
