/**
 * readAudio (src/pipeline/audioDataset.ts), the whole-clip reader of train and classify: a
 * file above the front end's rate is low-passed before it is resampled, so a tone above the
 * new Nyquist does not fold into the band (it would alias to 8000 − f), and the low-pass's
 * delay is taken back, so an in-band tone comes out where plain resampling puts it.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createResampler, flushResampler, maxResampledSamples, processResampler } from '../../src/condition/resample.ts';
import { encodeWav } from '../../src/formats/wav.ts';
import { readAudio } from '../../src/pipeline/audioDataset.ts';
import { useTempDir } from '../helpers/records.ts';

const tempDir = useTempDir('edgespike-readaudio-');

function tone(hz: number, rateHz: number, seconds: number, amplitude: number): Int16Array {
  const n = Math.round(rateHz * seconds);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rateHz));
  return out;
}

function rms(x: Int32Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += (x[i] as number) ** 2;
  return Math.sqrt(s / (to - from));
}

function plainResample(x: Int16Array, fromHz: number, toHz: number): Int32Array {
  const rs = createResampler(fromHz, toHz);
  const input = Int32Array.from(x);
  const out = new Int32Array(maxResampledSamples(rs, input.length) + 1);
  const n = processResampler(rs, input, input.length, out);
  return out.slice(0, n + flushResampler(rs, out.subarray(n)));
}

describe('readAudio from 16 kHz to 8 kHz', () => {
  it('stops a 5 kHz tone (above the new 4 kHz Nyquist) by more than 40 dB; plain resampling lets it alias through', async () => {
    const x = tone(5000, 16000, 1, 10000);
    const path = join(tempDir(), 'tone5k.wav');
    writeFileSync(path, encodeWav(x, { sampleRateHz: 16000 }));
    const y = await readAudio(path, 8000);
    expect(y.length).toBe(8000);
    const aliased = rms(plainResample(x, 16000, 8000), 400, 7600);
    const filtered = rms(y, 400, 7600);
    expect(aliased).toBeGreaterThan(1000); // what the boxcar alone lets through
    expect(20 * Math.log10(10000 / Math.SQRT2 / filtered)).toBeGreaterThan(40);
  });

  it('keeps in-band tones (440, 1130, 2370 Hz) within 0.1 dB and in place (no filter delay: best lag 0 against plain resampling)', async () => {
    const a = tone(440, 16000, 1, 4000);
    const b = tone(1130, 16000, 1, 4000);
    const c = tone(2370, 16000, 1, 4000);
    const x = a.map((v, i) => v + (b[i] as number) + (c[i] as number));
    const path = join(tempDir(), 'tones.wav');
    writeFileSync(path, encodeWav(x, { sampleRateHz: 16000 }));
    const y = await readAudio(path, 8000);
    const plain = plainResample(x, 16000, 8000);
    expect(y.length).toBe(plain.length);
    const gainDb = 20 * Math.log10(rms(y, 400, 7600) / rms(plain, 400, 7600));
    expect(Math.abs(gainDb)).toBeLessThan(0.1);
    let bestLag = 0;
    let best = -Infinity;
    for (let lag = -10; lag <= 10; lag++) {
      let c = 0;
      for (let i = 400; i < 7600; i++) c += (y[i + lag] as number) * (plain[i] as number);
      if (c > best) {
        best = c;
        bestLag = lag;
      }
    }
    expect(bestLag).toBe(0);
  });
});

describe('readAudio with a longest clip (classify)', () => {
  it('refuses a file longer than the limit before reading it, and says what to use instead', async () => {
    const long = join(tempDir(), 'long.wav');
    writeFileSync(long, encodeWav(new Int16Array(8000 * 61), { sampleRateHz: 8000 }));
    await expect(readAudio(long, 8000, 0, 60)).rejects.toThrow(
      `${long}: 61.0 s is longer than the 60 s a clip may be; for a long recording use edgespike replay ${long} --task digits (its words as a stream)`,
    );
    const ok = join(tempDir(), 'ok.wav');
    writeFileSync(ok, encodeWav(new Int16Array(8000 * 60), { sampleRateHz: 8000 }));
    expect((await readAudio(ok, 8000, 0, 60)).length).toBe(8000 * 60);
  });
});
