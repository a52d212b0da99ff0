/**
 * The README's measured speed tables, rendered from a `bench --json` report.
 *
 * The README names the report they were rendered from and the command that made it in a
 * `<!-- bench-json: PATH from: COMMAND -->` marker (the report is kept at PATH) and marks each
 * table `<!-- bench-table: SECTION -->`. tests/cli/readmeTables.test.ts checks that every table
 * is exactly `markdownFromBenchJson(SECTION, report)` and that a fresh quick run of `bench
 * --json` has the same shape as the kept report (`benchShape`: field names, stage names,
 * launchers, streams), so a renamed or added stage fails until the README is regenerated
 * (`npm run bench:readme`, i.e. `edgespike bench --readme`, which runs the benchmark and rewrites both).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DECODER_TARGET_TIMES_ONE_MBAUD, LIVE_TARGET_CPU_PERCENT } from './devices.ts';
import { ECG_TARGET_X_REAL_TIME } from './ecg.ts';
import { C_RATIO_TARGET } from './ecgC.ts';
import { GENERIC_ENGINE_C_RATIO_TARGET } from './lifPackedC.ts';
import type { BenchReport } from './report.ts';

/** The tables the README can hold, in the order they appear there. */
export const BENCH_TABLE_SECTIONS = ['inputs', 'targets', 'ecg-stages', 'ecg-c', 'replay', 'startup', 'devices', 'live', 'audio-stages', 'audio-activity'] as const;
export type BenchTableSection = (typeof BENCH_TABLE_SECTIONS)[number];

const int = (v: number): string => Math.round(v).toLocaleString('en-US');
const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |\n`;
const table = (head: readonly string[], align: string, rows: readonly (readonly string[])[]): string => row(head) + `|${align}|\n` + rows.map(row).join('');

function need<T>(value: T | undefined, section: string): T {
  if (value === undefined) throw new Error(`bench README table "${section}": the report has no such section (run bench without skipping it)`);
  return value;
}

/** The audio clips' source without the machine's path: the FSDD split, else the folder's last part. */
function audioSource(source: string): string {
  const note = /\(([^)]*)\)\s*$/.exec(source);
  return note !== null ? (note[1] as string) : (source.split('/').filter((p) => p !== '').pop() ?? source);
}

/** The delivery the audio network ran on besides `saturating` (its stage name says). */
function pickedDelivery(a: { readonly stages: readonly { readonly stage: string }[] }): string {
  for (const { stage } of a.stages) {
    const m = /^network \(fixed-point LIF, (\w+)\)$/.exec(stage);
    if (m !== null && m[1] !== 'saturating') return m[1] as string;
  }
  return 'picked';
}

/**
 * One README table as Markdown lines (each ending in a newline).
 * @throws Error when the report lacks the section the table needs
 */
export function markdownFromBenchJson(section: BenchTableSection, report: BenchReport): string {
  switch (section) {
    case 'inputs': {
      const records = need(report.records, section);
      const a = need(report.audio, section);
      const seconds = need(report.signalSeconds, section);
      const names = records.length > 3 ? `${records[0]} … ${records[records.length - 1]}` : records.join(', ');
      return table(['benchmark', 'input', 'signal', 'chunk', 'timed passes'], '---|---|---:|---:|---:', [
        ['ECG', `${records.length} record(s) (${names})`, `${(seconds / 3600).toFixed(2)} h at ${Math.round(need(report.samples, section) / seconds)} Hz`, `${need(report.chunkSamples, section)} samples`, `best of ${need(report.repeat, section)}`],
        ['audio', `${a.clips} clips (${audioSource(a.source)}), one stream`, `${a.audioSeconds.toFixed(1)} s at ${a.sampleRateHz} Hz`, `${a.chunkSamples} samples`, `best of ${a.repeat}`],
      ]);
    }
    case 'targets': {
      const a = need(report.audio, section);
      const ecg = need(report.pipelineXRealTime, section);
      const slowest = Math.min(...need(report.decoders, section).map((d) => d.timesOneMbaud));
      const live = need(report.live, section)[0];
      const met = (ok: boolean): string => (ok ? 'yes' : '**no**');
      return table(['measure', 'measured', 'target', 'met'], '---|---:|---:|---', [
        ['ECG whole pipeline, one core', `${int(ecg)}× real time`, `≥ ${int(ECG_TARGET_X_REAL_TIME)}×`, met(ecg >= ECG_TARGET_X_REAL_TIME)],
        ['audio whole pipeline, one core', `${int(a.pipelineXRealTime)}× real time`, `≥ ${int(a.targetXRealTime)}×`, met(a.pipelineXRealTime >= a.targetXRealTime)],
        ['slowest device decoder', `${int(slowest)}× 1 Mbaud`, `≥ ${DECODER_TARGET_TIMES_ONE_MBAUD}×`, met(slowest >= DECODER_TARGET_TIMES_ONE_MBAUD)],
        ...(live === undefined
          ? []
          : [['live AD8232 stream, CPU', `${live.cpuPercentOfOneCore.toFixed(2)} % of a core`, `< ${LIVE_TARGET_CPU_PERCENT} %`, met(live.cpuPercentOfOneCore < LIVE_TARGET_CPU_PERCENT)]]),
        [`audio network: ${pickedDelivery(a)} against saturating delivery`, `${a.engineSpeedup.toFixed(2)}× faster`, 'final states identical', met(a.enginesIdentical)],
        'skipped' in a.engineC
          ? ['generic network engine against its C twin', `not timed: ${a.engineC.skipped}`, `≤ ${GENERIC_ENGINE_C_RATIO_TARGET}× the C's CPU`, '—']
          : [
              `generic network engine (packed, audio network) against its C twin (\`cc -O2\`)`,
              `${a.engineC.tsOverC.toFixed(2)}× the C's CPU${a.engineC.identical ? '' : ' (final states DIFFERENT)'}`,
              `≤ ${GENERIC_ENGINE_C_RATIO_TARGET}×`,
              met(a.engineC.identical && a.engineC.tsOverC <= GENERIC_ENGINE_C_RATIO_TARGET),
            ],
      ]);
    }
    case 'ecg-stages':
      return table(['stage', '× real time', 'Msamples/s', 'CPU / baseline'], '---|---:|---:|---:', need(report.stages, section).map((r) => [r.stage, int(r.xRealTime), r.megaSamplesPerSecond.toFixed(1), r.ratioToBaseline.toFixed(1)]));
    case 'ecg-c': {
      const c = need(report.c, section);
      if ('skipped' in c) return table(['exported C', 'note'], '---|---', [['not timed', c.skipped]]);
      return table(['stage (exported C, `cc -O2`)', 'C × real time', 'TypeScript / C CPU', `within ${C_RATIO_TARGET}×`], '---|---:|---:|---', c.rows.map((r) => [r.stage, int(r.cXRealTime), r.tsOverC.toFixed(2), r.tsOverC <= C_RATIO_TARGET ? 'yes' : '**no**']));
    }
    case 'replay':
      return table(['launcher', 'record', 'signal', 'wall time', 'peak RSS'], '---|---|---:|---:|---:', need(report.memory, section).map((m) => [`\`${m.launcher}\``, m.record, `${(m.signalSeconds / 60).toFixed(0)} min`, `${m.wallSeconds.toFixed(2)} s`, `${m.peakRssMb.toFixed(0)} MB`]));
    case 'startup': {
      const rows = need(report.startup, section);
      return table(['command (`node bin/edgespike.js` from dist/)', 'CPU, median of 9', 'beyond `node -e 0`'], '---|---:|---:', rows.map((r, i) => [i === 0 ? r.command : `\`${r.command}\``, `${r.cpuMs.toFixed(0)} ms`, i === 0 ? '—' : `${r.extraMs.toFixed(0)} ms`]));
    }
    case 'devices': {
      const decoders = need(report.decoders, section);
      const streams = [...new Set(decoders.map((d) => d.stream))];
      return table(['stream', 'MB/s', '× 1 Mbaud', '1 % corrupted: MB/s'], '---|---:|---:|---:', streams.map((s) => {
        const clean = decoders.find((d) => d.stream === s && !d.corrupted);
        const bad = decoders.find((d) => d.stream === s && d.corrupted);
        return [`\`${s}\``, clean?.megabytesPerSecond.toFixed(1) ?? '', clean === undefined ? '' : int(clean.timesOneMbaud), bad?.megabytesPerSecond.toFixed(1) ?? ''];
      }));
    }
    case 'live':
      return table(['live AD8232 stream, 360 Hz', 'measured over', 'CPU of one core', 'peak RSS'], '---|---:|---:|---:', need(report.live, section).map((l) => [`\`${l.launcher}\``, `${l.seconds} s`, `${l.cpuPercentOfOneCore.toFixed(2)} %`, `${l.peakRssMb.toFixed(0)} MB`]));
    case 'audio-stages':
      return table(['stage', '× real time', 'Msamples/s', 'CPU / baseline'], '---|---:|---:|---:', need(report.audio, section).stages.map((r) => [r.stage, int(r.xRealTime), r.megaSamplesPerSecond.toFixed(2), r.ratioToBaseline.toFixed(1)]));
    case 'audio-activity': {
      const a = need(report.audio, section);
      const c = a.cost;
      const e = c.energy;
      return table(['bundled digits model', 'per second of audio', `per clip (${(a.audioSeconds / a.clips).toFixed(2)} s)`], '---|---:|---:', [
        ['input spikes', int(c.perSecond.inputSpikes), int(c.perInference.inputSpikes)],
        ['hidden spikes', int(c.perSecond.spikes), int(c.perInference.spikes)],
        ['synaptic operations', int(c.perSecond.synapticOps), int(c.perInference.synapticOps)],
        ['neuron updates', int(c.perSecond.neuronUpdates), int(c.perInference.neuronUpdates)],
        ['dense equivalent MACs', int(c.perInference.denseMacs * (a.clips / a.audioSeconds)), int(c.perInference.denseMacs)],
        ['energy estimate, spiking', `${int(e.snnNanojoulePerSecond)} nJ`, `${int(e.snnNanojoulePerInference)} nJ`],
        ['energy estimate, dense', `${int(e.denseNanojoulePerSecond)} nJ`, `${int(e.denseNanojoulePerInference)} nJ`],
        ['dense / spiking energy', `${e.ratio.toFixed(1)}×`, `${e.ratio.toFixed(1)}×`],
      ]);
    }
  }
}

/** Keys whose values name a row (kept in the shape); every other value becomes its type. */
const ROW_NAMES = new Set(['stage', 'launcher', 'stream', 'corrupted', 'command']);

/**
 * What a report is made of, without its measurements: field names, nesting, and the names of
 * its rows (stages, launchers, streams); numbers and free text become their type.
 * @example benchShape({ stages: [{ stage: 'read', xRealTime: 3 }], records: ['101'] })
 *   → { stages: [{ stage: 'read', xRealTime: 'number' }], records: 'string[]' }
 */
export function benchShape(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.some((v) => typeof v === 'object' && v !== null) ? value.map(benchShape) : `${typeof value[0]}[]`;
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, ROW_NAMES.has(k) ? v : benchShape(v)]));
  }
  return typeof value;
}

/** The bench-json marker: where the report is kept and the command that made it. */
export const BENCH_JSON_MARKER = /<!-- bench-json: (\S+) from: (.+?) -->/;
/** A marked table: its section and its lines. */
export const BENCH_TABLE_MARKER = /<!-- bench-table: (\S+) -->\n((?:\|.*\n)+)/g;

/**
 * The README with every marked bench table rendered from `report` and the bench-json marker
 * naming `command`.
 * @throws Error on a marker naming an unknown section
 */
export function renderReadmeBenchTables(readme: string, report: BenchReport, command: string): string {
  return readme
    .replace(BENCH_JSON_MARKER, (_, path: string) => `<!-- bench-json: ${path} from: ${command} -->`)
    .replace(BENCH_TABLE_MARKER, (_, section: string) => {
      if (!(BENCH_TABLE_SECTIONS as readonly string[]).includes(section)) {
        throw new Error(`README marker bench-table: ${section} is not a bench table; known: ${BENCH_TABLE_SECTIONS.join(', ')}`);
      }
      return `<!-- bench-table: ${section} -->\n${markdownFromBenchJson(section as BenchTableSection, report)}`;
    });
}

/**
 * Keep `report` as the README's bench report and re-render the README's tables from it.
 * @param command the command line that made the report, for the marker
 * @returns the sections rendered
 * @throws Error when the README has no bench-json marker
 */
export function updateReadmeBench(projectRoot: string, report: BenchReport, command: string): string[] {
  const readmePath = join(projectRoot, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const marker = BENCH_JSON_MARKER.exec(readme);
  if (marker === null) throw new Error('README.md has no <!-- bench-json: PATH from: COMMAND --> marker; add one above the speed tables');
  writeFileSync(join(projectRoot, marker[1] as string), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(readmePath, renderReadmeBenchTables(readme, report, command));
  return [...readme.matchAll(BENCH_TABLE_MARKER)].map((m) => m[1] as string);
}
