/**
 * `edgespike convert`, run as a real process: the files it writes are judged by the EDF+
 * specification's rules (tests/helpers/edfSpec.ts, written from the spec, not through the
 * project's reader), read back exactly, and scored and drawn by eval and plot as the originals.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BeatEvent } from '../../src/core/events.ts';
import { ANNOTATION_SYMBOLS, isBeatCode, parseMitAnnotations } from '../../src/formats/wfdb/annotation.ts';
import { openEdfFile } from '../../src/sources/edfFile.ts';
import { openWfdbRecord } from '../../src/sources/wfdbRecord.ts';
import { expectOneLineError, linesOf, runCli } from '../helpers/cli.ts';
import { datasetPath, haveDataset, PROJECT_ROOT } from '../helpers/datasets.ts';
import { edfPlusViolations } from '../helpers/edfSpec.ts';
import { collectChunks, useTempDir } from '../helpers/records.ts';
import type { SampleChunk } from '../../src/core/chunks.ts';

const RECORD = 'fixtures/synthetic-ecg/ecgsyn_360hz';
const RECORDING = 'fixtures/devices/ad8232-ecg.bin';
const FS = 360;
const tempDir = useTempDir('edgespike-convert-');

/** The beat samples `replay --format jsonl` prints for `path`. */
async function replayBeats(path: string): Promise<number[]> {
  const r = await runCli(['replay', path, '--speed', 'max', '--format', 'jsonl']);
  expect(r.code, r.stderr).toBe(0);
  return linesOf(r.stdout)
    .map((l) => JSON.parse(l) as { type: string })
    .filter((e): e is BeatEvent => e.type === 'beat')
    .map((e) => e.sample);
}

/** Every sample an opened record reads, checking its chunks are contiguous. */
async function samplesOf(open: Promise<{ chunks: () => AsyncIterable<SampleChunk> }>): Promise<Int32Array> {
  return (await collectChunks((await open).chunks(), 512)).samples;
}

describe('convert a WFDB record with its .atr to EDF+', () => {
  let dir: string;
  let edf: string;
  let bytes: Uint8Array;
  let stderr: string;
  const atr = parseMitAnnotations(readFileSync(join(PROJECT_ROOT, `${RECORD}.atr`)), 'atr').filter((a) => isBeatCode(a.code));

  beforeAll(async () => {
    dir = tempDir();
    edf = join(dir, 'ecgsyn.edf');
    const r = await runCli(['convert', RECORD, '--out', edf]);
    expect(r.code, r.stderr).toBe(0);
    stderr = r.stderr;
    bytes = new Uint8Array(readFileSync(edf));
  });

  it('the file keeps every header rule of the EDF+ specification', () => {
    const { violations, facts } = edfPlusViolations(bytes);
    expect(violations).toEqual([]);
    expect(facts.labels).toEqual(['ECG ECGSYN', 'EDF Annotations']);
    expect(facts.dataRecords).toBe(300); // 108000 samples, 360 per 1 s record: the count was patched from -1
    expect(facts.recordDurationSeconds).toBe(1);
    const text = String.fromCharCode(...bytes.subarray(0, 256));
    expect(text.slice(8, 88).trimEnd()).toBe('X X X X');
    expect(text.slice(88, 168).trimEnd()).toBe('Startdate 01-JAN-2000 X X edgespike');
    expect(text.slice(192, 236).trimEnd()).toBe('EDF+C');
  });

  it('the rule checker is not blind: a broken count, reserved field, date or time-keeping TAL is reported', () => {
    const broken = (at: number, text: string): string[] => {
      const copy = bytes.slice();
      copy.set(Buffer.from(text), at);
      return edfPlusViolations(copy).violations;
    };
    expect(broken(236, '-1      ')).toContain('number of data records -1 is not a count (-1 is for files still being written)');
    expect(broken(236, '299     ')).toEqual([expect.stringMatching(/^file is \d+ bytes, header says 768 \+ 299 × /)]);
    expect(broken(192, 'EDF+D')).toEqual(['reserved "EDF+D" does not start with EDF+C']);
    expect(broken(168, '02.01.00')).toEqual(['recording startdate "01-JAN-2000" disagrees with the start date "02.01.00"']);
    expect(broken(768 + 720, '+5')).toEqual([expect.stringMatching(/^data record 1: time-keeping TAL \+5 is not its start 0/)]);
  });

  it('round trip: the samples read back are the record\'s, exactly (its 5 uV step is the file\'s)', async () => {
    const original = await samplesOf(openWfdbRecord(join(PROJECT_ROOT, RECORD)));
    const back = await samplesOf(openEdfFile(edf));
    expect(back.length).toBe(108000);
    expect(back).toEqual(original);
  });

  it('annotations: the .atr beats as MIT symbols, and "beat" at every beat replay detects', async () => {
    const { facts } = edfPlusViolations(bytes);
    const reference = facts.annotations.filter((a) => a.text !== 'beat');
    expect(reference.map((a) => a.text)).toEqual(atr.map((a) => ANNOTATION_SYMBOLS[a.code]));
    expect(reference.map((a) => Math.round(a.onsetSeconds * FS))).toEqual(atr.map((a) => a.sample));
    const detected = facts.annotations.filter((a) => a.text === 'beat').map((a) => Math.round(a.onsetSeconds * FS));
    expect(detected).toEqual(await replayBeats(join(PROJECT_ROOT, RECORD)));
    expect(stderr).toContain(`${detected.length} beats detected, ${atr.length} reference annotations copied`);
  });

  it('eval scores the EDF+ file exactly as the WFDB record, and a folder of .edf/.bdf files', async () => {
    const wfdb = await runCli(['eval', RECORD, '--json']);
    const fromEdf = await runCli(['eval', edf, '--json']);
    expect(fromEdf.code, fromEdf.stderr).toBe(0);
    type Report = { records: { record: string; tp: number; fp: number; fn: number }[] };
    const score = (r: Report): unknown => r.records.map(({ tp, fp, fn }) => ({ tp, fp, fn }));
    const w = JSON.parse(wfdb.stdout) as Report;
    expect(score(JSON.parse(fromEdf.stdout) as Report)).toEqual(score(w));
    // A folder: the .edf and a .bdf of the same record, both scored, sorted by name.
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    copyFileSync(edf, join(folder, 'a.edf'));
    expect((await runCli(['convert', edf, '--out', join(folder, 'b.bdf')])).code).toBe(0);
    const both = await runCli(['eval', folder, '--json']);
    expect(both.code, both.stderr).toBe(0);
    const report = JSON.parse(both.stdout) as Report;
    expect(report.records.map((r) => r.record)).toEqual(['a', 'b']);
    expect(score(report)).toEqual([...(score(w) as unknown[]), ...(score(w) as unknown[])]);
  }, 60_000);

  it('plot of the EDF+ file draws its reference row (the .atr beats in the window)', async () => {
    const out = join(dir, 'w.svg');
    const r = await runCli(['plot', edf, '--from', '20', '--to', '30', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const refs = [...readFileSync(out, 'utf8').matchAll(/aria-label="(reference [^"]*)"/g)];
    expect(refs.length).toBe(atr.filter((a) => a.sample >= 20 * FS && a.sample < 30 * FS).length);
    expect(refs.length).toBeGreaterThan(5);
  });

  it('to BDF+: the same rules (BDF+C, 24-bit) and the same samples', async () => {
    const bdf = join(dir, 'ecgsyn.bdf');
    const r = await runCli(['convert', RECORD, '--out', bdf, '--format', 'bdf']);
    expect(r.code, r.stderr).toBe(0);
    const file = new Uint8Array(readFileSync(bdf));
    const { violations, facts } = edfPlusViolations(file);
    expect(violations).toEqual([]);
    expect(facts.labels).toEqual(['ECG ECGSYN', 'BDF Annotations']);
    expect(await samplesOf(openEdfFile(bdf))).toEqual(await samplesOf(openEdfFile(edf)));
  });

  it('converting the EDF+ file again keeps its reference annotations and replaces its beats', async () => {
    const again = join(dir, 'again.edf');
    expect((await runCli(['convert', edf, '--out', again])).code).toBe(0);
    const a = edfPlusViolations(new Uint8Array(readFileSync(again)));
    expect(a.violations).toEqual([]);
    expect(a.facts.annotations).toEqual(edfPlusViolations(bytes).facts.annotations);
  });
});

describe('convert other inputs', () => {
  it('a device recording: the samples replay decodes, its beats, and connection changes as annotations', async () => {
    const out = join(tempDir(), 'ad8232.edf');
    const r = await runCli(['convert', RECORDING, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const { violations, facts } = edfPlusViolations(new Uint8Array(readFileSync(out)));
    expect(violations).toEqual([]);
    expect(facts.labels[0]).toBe('ECG ecg');
    const beats = facts.annotations.filter((a) => a.text === 'beat').map((a) => Math.round(a.onsetSeconds * FS));
    expect(beats).toEqual(await replayBeats(RECORDING));
    expect(facts.annotations.map((a) => a.text)).toEqual(expect.arrayContaining(['leads-off', 'leads-on']));
    const start = JSON.parse(readFileSync(`${RECORDING}.json`, 'utf8')) as { startedAt: string };
    const d = new Date(start.startedAt);
    const text = String.fromCharCode(...readFileSync(out).subarray(168, 184));
    expect(text).toBe(`${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${String(d.getUTCFullYear() % 100).padStart(2, '0')}` + `${String(d.getUTCHours()).padStart(2, '0')}.${String(d.getUTCMinutes()).padStart(2, '0')}.${String(d.getUTCSeconds()).padStart(2, '0')}`);
  });

  it('a CSV file: no reference, beats only; samples beyond the EDF range are clamped and counted', async () => {
    const dir = tempDir();
    const csv = join(dir, 'big.csv');
    // 2 s at 360 Hz in mV: a 200 mV sample (beyond EDF's +-163.84 mV) and a -170 mV one.
    const values = Array.from({ length: 720 }, (_, i) => (i === 100 ? 200 : i === 101 ? -170 : Math.sin(i / 20)));
    writeFileSync(csv, `# sampleRateHz=360\nmv\n${values.map((v) => v.toFixed(3)).join('\n')}\n`);
    const out = join(dir, 'big.edf');
    const r = await runCli(['convert', csv, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('2 samples beyond the EDF range stored as its limit (use .bdf)');
    const back = await samplesOf(openEdfFile(out));
    expect([back[100], back[101]]).toEqual([32767, -32768]);
    const bdf = join(dir, 'big.bdf');
    expect((await runCli(['convert', csv, '--out', bdf])).stderr).not.toContain('beyond');
    const exact = await samplesOf(openEdfFile(bdf));
    expect([exact[100], exact[101]]).toEqual([40000, -34000]);
  });

  it('refusals are one line: wrong extension, format against extension, output = input, EDF+D input, no --out, audio input', async () => {
    const dir = tempDir();
    expectOneLineError(await runCli(['convert', RECORD, '--out', join(dir, 'x.txt')]), 1, /the output is EDF\+ \(\.edf\) or BDF\+ \(\.bdf\); name the output x\.edf or x\.bdf$/);
    expectOneLineError(await runCli(['convert', RECORD, '--out', join(dir, 'x.edf'), '--format', 'bdf']), 1, /ends in \.edf but --format is bdf; name a BDF file x\.bdf$/);
    const edf = join(dir, 'x.edf');
    expect((await runCli(['convert', RECORD, '--out', edf])).code).toBe(0);
    expectOneLineError(await runCli(['convert', edf, '--out', edf]), 1, /is the input; write the EDF file elsewhere$/);
    const d = new Uint8Array(readFileSync(edf));
    d.set(Buffer.from('EDF+D'), 192);
    const discontinuous = join(dir, 'd.edf');
    writeFileSync(discontinuous, d);
    expectOneLineError(await runCli(['convert', discontinuous, '--out', join(dir, 'y.edf')]), 1, /is EDF\+D \(discontinuous: data records with gaps between them\); edgespike reads continuous files \(EDF, EDF\+C, BDF\) only$/);
    expectOneLineError(await runCli(['replay', discontinuous, '--speed', 'max']), 1, /is EDF\+D \(discontinuous/);
    expectOneLineError(await runCli(['convert', RECORD]), 2, /convert needs --out <file\.edf>/);
    expectOneLineError(await runCli(['convert', 'fixtures/audio-digits/7_enus_0.wav', '--out', join(dir, 'w.edf')]), 1, /a WAV file is audio; convert writes ECG records as EDF\+/);
    expectOneLineError(await runCli(['convert', 'fixtures/devices/pcm16-tone.bin', '--out', join(dir, 'm.edf')]), 1, /a recording of edgespike-pcm16, which carries audio; convert writes ECG records as EDF\+$/);
  }, 60_000);
});

describe.skipIf(!haveDataset('convert MIT-BIH 101 to EDF+', ['mitdb/101.hea', 'mitdb/101.dat', 'mitdb/101.atr']))('convert a MIT-BIH record', () => {
  it('101: the EDF+ file round-trips exactly and eval scores it as the WFDB record', async () => {
    const out = join(tempDir(), '101.edf');
    const record = datasetPath('mitdb', '101');
    expect((await runCli(['convert', record, '--out', out])).code).toBe(0);
    expect(edfPlusViolations(new Uint8Array(readFileSync(out))).violations).toEqual([]);
    const original = await samplesOf(openWfdbRecord(record));
    const back = await samplesOf(openEdfFile(out));
    // 650000 samples fill 1805 whole records and 200 of the 1806th, padded with the last sample.
    expect(back.length).toBe(1806 * 360);
    expect(back.subarray(0, original.length)).toEqual(original);
    expect(new Set(back.subarray(original.length))).toEqual(new Set([original[original.length - 1]]));
    const [a, b] = await Promise.all([runCli(['eval', record, '--json']), runCli(['eval', out, '--json'])]);
    const rows = (s: string): unknown => (JSON.parse(s) as { records: { tp: number; fp: number; fn: number }[] }).records.map(({ tp, fp, fn }) => ({ tp, fp, fn }));
    expect(rows(b.stdout)).toEqual(rows(a.stdout));
  }, 60_000);
});
