import { readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FormatError, InputNotFoundError, ValidationError } from '../../src/core/errors.ts';
import {
  createWfdbSignalDecoder,
  decodeWfdbSignal,
  finishWfdbSignal,
  maxDecodedSamples,
} from '../../src/formats/wfdb/signal.ts';
import { openWfdbRecord } from '../../src/sources/wfdbRecord.ts';
import { datasetPath, haveDataset, readDatasetBytes } from '../helpers/datasets.ts';
import { FIXTURE_RECORD } from '../helpers/fixture.ts';
import {
  collectChunks,
  firstDifference,
  lcgInts,
  useTempDir,
  openDescriptorsOn,
  writeWfdbRecord,
} from '../helpers/records.ts';

const FIXTURE = FIXTURE_RECORD;

const tempDir = useTempDir();

/** Read a whole channel through `openWfdbRecord`. */
async function readChannel(path: string, channel: number | string, chunkSamples: number): Promise<Int32Array> {
  const { chunks } = await openWfdbRecord(path, { channel, chunkSamples });
  return (await collectChunks(chunks(), chunkSamples)).samples;
}

/** The expected counts: ADC values minus the baseline. */
function minus(adc: Int32Array, baselineAdu: number): Int32Array {
  return adc.map((v) => v - baselineAdu);
}

describe('openWfdbRecord: samples', () => {
  // 7001 samples × 2 signals (an odd count per signal; for format 212 an even total). Records
  // longer than one 64 KiB block: the 3-signal record below, the fixture and mitdb.
  const ch0 = lcgInts(7001, -2048, 2047, 1);
  const ch1 = lcgInts(7001, -2048, 2047, 2);

  it.each([212, 16] as const)('format %i: both channels, any chunk size, counts = adc − baseline', async (format) => {
    const rec = writeWfdbRecord(
      tempDir(),
      `two${format}`,
      [
        { adc: ch0, description: 'MLII', baselineAdu: 1024 },
        { adc: ch1, description: 'V1', baselineAdu: -7 },
      ],
      { format },
    );
    for (const chunkSamples of [512, 1, 7, 7001, 10000]) {
      expect(await readChannel(rec.base, 0, chunkSamples)).toEqual(minus(ch0, 1024));
      expect(await readChannel(rec.headerPath, 1, chunkSamples)).toEqual(minus(ch1, -7));
    }
    const { chunks } = await openWfdbRecord(rec.base);
    const read = await collectChunks(chunks(), 512);
    expect(read.chunkCount).toBe(Math.ceil(7001 / 512));
    expect(read.sampleRateHz).toBe(360);
  });

  it('reads a record longer than one 64 KiB block (3 signals, format 16)', async () => {
    const signals = [0, 1, 2].map((s) => ({ adc: lcgInts(40000, -30000, 30000, 10 + s), baselineAdu: 0 }));
    const rec = writeWfdbRecord(tempDir(), 'three16', signals, { format: 16 });
    for (const s of [0, 1, 2]) {
      expect(await readChannel(rec.base, s, 333)).toEqual(signals[s]?.adc);
    }
  });

  it('reads either channel of a two-signal format-212 record longer than one 64 KiB block (units across blocks)', async () => {
    // 40,000 frames of 3 bytes: 120,000 bytes, so the 64 KiB blocks cut units (65,536 = 3 · 21,845 + 1).
    const a = lcgInts(40000, -2048, 2047, 21);
    const b = lcgInts(40000, -2048, 2047, 22);
    const rec = writeWfdbRecord(tempDir(), 'long212', [{ adc: a, baselineAdu: 3 }, { adc: b, baselineAdu: -5 }], { format: 212 });
    for (const chunkSamples of [512, 333]) {
      expect(await readChannel(rec.base, 0, chunkSamples)).toEqual(minus(a, 3));
      expect(await readChannel(rec.base, 1, chunkSamples)).toEqual(minus(b, -5));
    }
  });

  it('picks a channel by its description, exactly or ignoring case, or by a string of digits', async () => {
    const rec = writeWfdbRecord(tempDir(), 'named', [
      { adc: Int32Array.of(1030, 1040), description: 'MLII' },
      { adc: Int32Array.of(1000, 990), description: 'V1' },
    ]);
    expect(await readChannel(rec.base, 'V1', 512)).toEqual(Int32Array.of(-24, -34));
    expect(await readChannel(rec.base, 'mlii', 512)).toEqual(Int32Array.of(6, 16));
    expect(await readChannel(rec.base, '1', 512)).toEqual(Int32Array.of(-24, -34));
    const { info } = await openWfdbRecord(rec.base, { channel: 'V1' });
    expect(info.channel).toBe(1);
    expect(info.channelName).toBe('V1');
  });

  it('scales other gains and units to counts of 5 µV, rounding half away from zero', async () => {
    const adc = Int32Array.of(0, 1, 2, 3, -1, -2, -3, 1000, -1000, 12);
    const rec = writeWfdbRecord(
      tempDir(),
      'gains',
      [
        // 400 adu/mV: counts = adc / 2
        { adc, gainAduPerUnit: 400, baselineAdu: 0 },
        // 1 adu/µV (µV written as uV): counts = adc / 5
        { adc, gainAduPerUnit: 1, baselineAdu: 2, units: 'uV' },
        // 1000 adu/V: counts = adc · 200
        { adc, gainAduPerUnit: 1000, baselineAdu: 0, units: 'V' },
      ],
      { format: 16 },
    );
    expect(await readChannel(rec.base, 0, 4)).toEqual(Int32Array.of(0, 1, 1, 2, -1, -1, -2, 500, -500, 6));
    // (adc − 2) / 5: -2/5 → 0 (-0.4), -1/5 → 0, 0, 1/5 → 0, -3/5 → -1, -4/5 → -1, -1, 998/5 → 200, -1002/5 → -200, 2
    expect(await readChannel(rec.base, 1, 4)).toEqual(Int32Array.of(0, 0, 0, 0, -1, -1, -1, 200, -200, 2));
    expect(await readChannel(rec.base, 2, 4)).toEqual(
      Int32Array.of(0, 200, 400, 600, -200, -400, -600, 200000, -200000, 2400),
    );
  });

  it('reads to the end of the file when the header gives no length', async () => {
    const adc = lcgInts(1001, 900, 1200, 3);
    const rec = writeWfdbRecord(tempDir(), 'nolength', [{ adc }]);
    const text = readFileSync(rec.headerPath, 'utf8').replace('nolength 1 360 1001', 'nolength 1 360');
    writeFileSync(rec.headerPath, text);
    const { info, chunks } = await openWfdbRecord(rec.base, { chunkSamples: 100 });
    expect(info.samplesPerSignal).toBeUndefined();
    expect(info.durationSeconds).toBeUndefined();
    expect((await collectChunks(chunks(), 100)).samples).toEqual(minus(adc, 1024));
  });

  it('reads only the samples the header states when the file holds more', async () => {
    const adc = lcgInts(101, 900, 1200, 4);
    const rec = writeWfdbRecord(tempDir(), 'longer', [{ adc }], { headerSamples: 60 });
    expect(await readChannel(rec.base, 0, 512)).toEqual(minus(adc.subarray(0, 60), 1024));
  });

  it('can be read again, and closes the file when the reader stops early', async () => {
    const rec = writeWfdbRecord(tempDir(), 'again', [{ adc: lcgInts(3000, 900, 1200, 5) }]);
    const { chunks } = await openWfdbRecord(rec.base, { chunkSamples: 100 });
    const first = await collectChunks(chunks(), 100);
    expect((await collectChunks(chunks(), 100)).samples).toEqual(first.samples);
    const before = openDescriptorsOn(rec.signalPath);
    for await (const chunk of chunks()) {
      expect(chunk.startSample).toBe(0);
      if (before !== undefined) expect(openDescriptorsOn(rec.signalPath)).toBe(before + 1);
      break;
    }
    if (before !== undefined) expect(openDescriptorsOn(rec.signalPath)).toBe(before);
  });
});

describe('openWfdbRecord: info', () => {
  it('describes the bundled synthetic record', async () => {
    const { info } = await openWfdbRecord(FIXTURE);
    expect(info).toEqual({
      kind: 'wfdb',
      path: FIXTURE,
      recordName: 'ecgsyn_360hz',
      sampleRateHz: 360,
      samplesPerSignal: 108000,
      durationSeconds: 300,
      channel: 0,
      channelName: 'ECGSYN',
      units: 'mV',
      signalCount: 1,
      signalNames: ['ECGSYN'],
      gainAduPerUnit: 200,
      baselineAdu: 1024,
      storageFormat: 212,
      headerPath: `${FIXTURE}.hea`,
      signalPath: `${FIXTURE}.dat`,
      annotationPath: `${FIXTURE}.atr`,
      comments: expect.any(Array) as unknown,
    });
  });

  it('has no annotation path when there is no .atr', async () => {
    const rec = writeWfdbRecord(tempDir(), 'noatr', [{ adc: Int32Array.of(1024) }]);
    expect((await openWfdbRecord(rec.headerPath)).info.annotationPath).toBeUndefined();
  });

  it('reads the synthetic record: its checksum matches the header', async () => {
    const samples = await readChannel(FIXTURE, 0, 512);
    expect(samples.length).toBe(108000);
    expect(samples[0]).toBe(1036 - 1024); // the header's initial value
    const adcSum = samples.reduce((sum, v) => sum + v + 1024, 0);
    expect(signed16(adcSum)).toBe(-30635);
  });
});

describe('openWfdbRecord: errors say what and the fix', () => {
  it('header not found: names the paths tried', async () => {
    const base = join(tempDir(), 'nothere');
    await expect(openWfdbRecord(base)).rejects.toThrow(
      new InputNotFoundError(
        `WFDB header not found for "${base}"; tried ${base}.hea (give a record path such as mitdb/100 or mitdb/100.hea)`,
      ),
    );
    await expect(openWfdbRecord(`${base}.dat`)).rejects.toThrow(
      `WFDB header not found for "${base}.dat"; tried ${base}.dat.hea, ${base}.hea (give a record path such as mitdb/100 or mitdb/100.hea)`,
    );
    await expect(openWfdbRecord(`${base}.hea`)).rejects.toBeInstanceOf(InputNotFoundError);
  });

  it('signal file missing: names it', async () => {
    const rec = writeWfdbRecord(tempDir(), 'nodat', [{ adc: Int32Array.of(1024) }]);
    rmSync(rec.signalPath);
    const error = new InputNotFoundError(
      `${rec.signalPath}: signal file not found (named by ${rec.headerPath}); put it beside the header`,
    );
    await expect(openWfdbRecord(rec.base)).rejects.toThrow(error);
    await expect(openWfdbRecord(rec.base)).rejects.toBeInstanceOf(InputNotFoundError);
  });

  it('channel out of range: says how many channels there are and their names', async () => {
    const rec = writeWfdbRecord(tempDir(), 'range', [
      { adc: Int32Array.of(1024), description: 'MLII' },
      { adc: Int32Array.of(1024), description: 'V1' },
    ]);
    const list = '0 "MLII" (mV), 1 "V1" (mV)';
    await expect(openWfdbRecord(rec.base, { channel: 2 })).rejects.toThrow(
      new ValidationError(`${rec.headerPath}: there is no channel 2; the record has 2 channels: ${list}`),
    );
    await expect(openWfdbRecord(rec.base, { channel: 'V5' })).rejects.toThrow(
      `${rec.headerPath}: there is no channel "V5"; the record has 2 channels: ${list}`,
    );
    await expect(openWfdbRecord(rec.base, { channel: -1 })).rejects.toBeInstanceOf(ValidationError);
    await expect(openWfdbRecord(rec.base, { channel: 0.5 })).rejects.toBeInstanceOf(ValidationError);
  });

  it('unsupported storage format: the decoder\'s error, prefixed with the header', async () => {
    const rec = writeWfdbRecord(tempDir(), 'fmt311', [{ adc: Int32Array.of(1024) }]);
    writeFileSync(rec.headerPath, readFileSync(rec.headerPath, 'utf8').replace(' 212 ', ' 311 '));
    await expect(openWfdbRecord(rec.base)).rejects.toThrow(
      new FormatError(`${rec.headerPath}: WFDB signal format 311 is not supported; supported: 16, 61, 80, 212`),
    );
  });

  it('a channel that is not a voltage', async () => {
    const rec = writeWfdbRecord(tempDir(), 'bp', [
      { adc: Int32Array.of(1024), description: 'MLII' },
      { adc: Int32Array.of(1024), description: 'ABP', units: 'mmHg' },
    ]);
    await expect(openWfdbRecord(rec.base, { channel: 1 })).rejects.toThrow(
      new ValidationError(
        `${rec.headerPath}: channel 1 "ABP" is in mmHg; edgespike reads voltages (V, mV, uV, µV); ` +
          'pick another channel: 0 "MLII" (mV), 1 "ABP" (mmHg)',
      ),
    );
  });

  it('a header that says more samples than the signal file holds: both numbers', async () => {
    // 100 samples × 2 signals in format 212 = 300 bytes; the header claims 150 (450 bytes).
    const adc = lcgInts(100, 900, 1200, 6);
    const rec = writeWfdbRecord(tempDir(), 'liar', [{ adc }, { adc }], { headerSamples: 150 });
    await expect(openWfdbRecord(rec.base)).rejects.toThrow(
      new FormatError(
        `${rec.signalPath}: holds 300 bytes, but ${rec.headerPath} says 150 samples × 2 signals in format 212, ` +
          "which need 450 bytes; the signal file is truncated or the header's sample count is wrong",
      ),
    );
  });

  it('a file truncated after opening: the same message with the bytes actually there', async () => {
    const rec = writeWfdbRecord(tempDir(), 'shrinks', [{ adc: lcgInts(100000, 900, 1200, 7) }]);
    const { chunks } = await openWfdbRecord(rec.base);
    truncateSync(rec.signalPath, 70000);
    await expect(collectChunks(chunks(), 512)).rejects.toThrow(
      new FormatError(
        `${rec.signalPath}: holds 70000 bytes, but ${rec.headerPath} says 100000 samples × 1 signals in format 212, ` +
          "which need 150000 bytes; the signal file is truncated or the header's sample count is wrong",
      ),
    );
  });

  it('a truncated final sample (length read to the end of the file)', async () => {
    const rec = writeWfdbRecord(tempDir(), 'cut', [{ adc: Int32Array.of(1024, 1030, 1040, 1050) }]);
    writeFileSync(rec.headerPath, readFileSync(rec.headerPath, 'utf8').replace('cut 1 360 4', 'cut 1 360'));
    truncateSync(rec.signalPath, 4); // one 3-byte unit and 1 byte of the next
    const { chunks } = await openWfdbRecord(rec.base);
    await expect(collectChunks(chunks(), 512)).rejects.toThrow(
      new FormatError(
        `${rec.signalPath}: ends inside a sample (1 of 3 bytes of a format 212 unit); the file is truncated`,
      ),
    );
  });

  it('a truncated final frame (length read to the end of the file)', async () => {
    const adc = Int32Array.of(1, 2, 3);
    const rec = writeWfdbRecord(tempDir(), 'frame', [{ adc }, { adc }], { format: 16 });
    writeFileSync(rec.headerPath, readFileSync(rec.headerPath, 'utf8').replace('frame 2 360 3', 'frame 2 360'));
    truncateSync(rec.signalPath, 10); // 5 of the 6 samples
    const { chunks } = await openWfdbRecord(rec.base);
    await expect(collectChunks(chunks(), 512)).rejects.toThrow(
      new FormatError(
        `${rec.signalPath}: ends inside a frame (5 samples is not a whole number of frames of 2 signals); ` +
          'the file is truncated',
      ),
    );
  });

  it('a bad chunk size', async () => {
    await expect(openWfdbRecord(FIXTURE, { chunkSamples: 0 })).rejects.toThrow(
      new ValidationError('"chunkSamples" must be an integer >= 1 (got 0)'),
    );
  });
});

describe.runIf(haveDataset('openWfdbRecord on mitdb 101', ['mitdb/101.hea', 'mitdb/101.dat']))(
  'openWfdbRecord on the MIT-BIH record 101 (30 min, 2 channels)',
  () => {
    const base = datasetPath('mitdb', '101');
    /**
     * The reference: the whole .dat decoded in one go, de-interleaved, baseline 1024 removed.
     * Computed on first use: a skipped describe still runs its body to collect tests.
     */
    let cached: Int32Array[] | undefined;
    const whole = (): Int32Array[] => (cached ??= (() => {
      const bytes = readDatasetBytes('mitdb', '101.dat');
      const decoder = createWfdbSignalDecoder(212);
      const flat = new Int32Array(maxDecodedSamples(decoder, bytes.length) + 1);
      let n = decodeWfdbSignal(decoder, bytes, flat);
      n += finishWfdbSignal(decoder, flat.subarray(n));
      const channels = [new Int32Array(n / 2), new Int32Array(n / 2)];
      for (let i = 0; i < n; i++) (channels[i % 2] as Int32Array)[i >> 1] = (flat[i] as number) - 1024;
      return channels;
    })());
    const checksums = [29832, 19589]; // from 101.hea

    it.each([
      [0, 512],
      [1, 512],
      [0, 1],
      [1, 1],
    ])('channel %i in chunks of %i equals the whole-file decode; sum matches the checksum', async (channel, chunkSamples) => {
      const { info, chunks } = await openWfdbRecord(base, { channel, chunkSamples });
      expect(info.samplesPerSignal).toBe(650000);
      expect(info.channelName).toBe(channel === 0 ? 'MLII' : 'V1');
      const read = await collectChunks(chunks(), chunkSamples);
      expect(read.samples.length).toBe(650000);
      expect(read.chunkCount).toBe(Math.ceil(650000 / chunkSamples));
      expect(firstDifference(read.samples, whole()[channel] as Int32Array)).toBe(-1);
      const adcSum = read.samples.reduce((sum, v) => sum + v + 1024, 0);
      expect(signed16(adcSum)).toBe(checksums[channel]);
    });
  },
);

/** A sum taken modulo 2^16 as a signed 16-bit number (the WFDB checksum). */
function signed16(sum: number): number {
  const low = ((sum % 65536) + 65536) % 65536;
  return low >= 32768 ? low - 65536 : low;
}
