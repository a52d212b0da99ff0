// The cochlea front end measured: the design table of a front-end description, the kernel's
// throughput on one core, and the spike rates it gives on FSDD speech and background.
// Run from the project root:
//   npx tsx scripts/cochleaReport.ts [src/filterbank/frontends/digits.json] [--all] [--json]
// Spike rates are measured on the FSDD test split (indices 0-4), or on all 2500 clips with --all,
// and given per second of audio (ticks × tickSamples / sampleRateHz), whatever the tick length.
// Throughput is the best of 15 timed passes over 20 s of audio (FSDD clips joined, or a
// synthetic mix of tones and noise when ../shared/datasets is absent) in 512-sample chunks.
import { existsSync, readFileSync } from 'node:fs';
import { createCochlea, cochleaTicksFor, processCochlea } from '../src/filterbank/cochlea.ts';
import { designChannels, parseFrontEndText, type FrontEndSpec } from '../src/filterbank/frontEnd.ts';
import { createRng, nextNormal } from '../src/synth/random.ts';
import { backgroundTicks, FSDD_DIR, FSDD_SPEAKERS, readFsddClips, type FsddClip } from '../tests/helpers/fsdd.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const path = args.find((a) => !a.startsWith('--')) ?? 'src/filterbank/frontends/digits.json';
const spec = parseFrontEndText(readFileSync(path, 'utf8'), path);
const C = spec.channels;
const haveFsdd = existsSync(FSDD_DIR);
const all = args.includes('--all');
const clips = haveFsdd ? readFsddClips((index) => all || index < 5) : [];

function designTable(frontEnd: FrontEndSpec) {
  return designChannels(frontEnd).map((d) => ({
    channel: d.index,
    centreHz: +d.centreHz.toFixed(2),
    bandwidthHz: +d.bandwidthHz.toFixed(2),
    q: +d.q.toFixed(2),
    sectionQ: +d.sectionQ.toFixed(3),
    b0: d.coefficientsQ14.b0,
    a1: d.coefficientsQ14.a1,
    a2: d.coefficientsQ14.a2,
    centreErrorHz: +(d.quantizedCentreHz - d.centreHz).toFixed(3),
    bandwidthErrorPct: +((d.quantizedBandwidthHz / d.bandwidthHz - 1) * 100).toFixed(3),
    gainErrorDb: +d.quantizedGainDb.toFixed(4),
  }));
}

function audio(seconds: number): Int32Array {
  const n = seconds * spec.sampleRateHz;
  const out = new Int32Array(n);
  if (clips.length > 0) {
    for (let at = 0, k = 0; at < n; k++) {
      const clip = (clips[k % clips.length] as FsddClip).samples;
      const take = Math.min(clip.length, n - at);
      out.set(clip.subarray(0, take), at);
      at += take;
    }
    return out;
  }
  const rng = createRng(7);
  for (let i = 0; i < n; i++) {
    const t = i / spec.sampleRateHz;
    out[i] = Math.round(6000 * Math.sin(2 * Math.PI * 300 * t) * Math.sin(2 * Math.PI * 2 * t) + 2000 * Math.sin(2 * Math.PI * 1700 * t) + 300 * nextNormal(rng));
  }
  return out;
}

function throughput() {
  const seconds = 20;
  const x = audio(seconds);
  const chunk = 512;
  let best = Infinity;
  let spikes = 0;
  for (let pass = 0; pass < 16; pass++) {
    const cochlea = createCochlea(spec);
    const out = new Uint8Array(cochleaTicksFor(cochlea, chunk) * 2 * C + 2 * C);
    const t0 = performance.now();
    for (let at = 0; at < x.length; at += chunk) {
      const n = Math.min(chunk, x.length - at);
      const ticks = processCochlea(cochlea, x.subarray(at, at + n), n, out);
      if (pass === 0) for (let i = 0; i < ticks * 2 * C; i++) spikes += out[i] as number;
    }
    const ms = performance.now() - t0;
    if (pass > 0) best = Math.min(best, ms); // pass 0 warms the JIT up
  }
  return {
    input: clips.length > 0 ? 'FSDD clips joined' : 'synthetic tones and noise',
    seconds,
    channels: C,
    stages: spec.filter.stages,
    msPerSecondOfAudio: +(best / seconds).toFixed(3),
    samplesPerSecond: Math.round((x.length / best) * 1000),
    timesRealTime: Math.round((seconds * 1000) / best),
    nsPerChannelSample: +((best * 1e6) / (x.length * C)).toFixed(2),
    spikesPerSecond: Math.round(spikes / seconds),
  };
}

function spikeRates() {
  const perSpeaker = FSDD_SPEAKERS.map((speaker) => {
    const own = clips.filter((c) => c.speaker === speaker);
    let ticks = 0;
    let capped = 0;
    let maxChannelTick = 0;
    let bgTicks = 0;
    let bgSpikes = 0;
    const perChannel = new Float64Array(C);
    for (const clip of own) {
      const cochlea = createCochlea(spec);
      const n = cochleaTicksFor(cochlea, clip.samples.length);
      const out = new Uint8Array(n * 2 * C);
      processCochlea(cochlea, clip.samples, clip.samples.length, out);
      for (let t = 0; t < n; t++) {
        for (let c = 0; c < C; c++) {
          const s = (out[t * 2 * C + 2 * c] as number) + (out[t * 2 * C + 2 * c + 1] as number);
          perChannel[c] = (perChannel[c] as number) + s;
          maxChannelTick = Math.max(maxChannelTick, s);
          const cap = spec.deltaModulator.maxSpikesPerTick;
          if ((out[t * 2 * C + 2 * c] as number) === cap || (out[t * 2 * C + 2 * c + 1] as number) === cap) capped++;
        }
      }
      for (const [a, b] of backgroundTicks(clip.samples, spec.tickSamples)) {
        bgTicks += b - a;
        for (let i = a * 2 * C; i < b * 2 * C; i++) bgSpikes += out[i] as number;
      }
      ticks += n;
    }
    const seconds = (ticks * spec.tickSamples) / spec.sampleRateHz;
    const total = perChannel.reduce((a, b) => a + b, 0);
    return {
      speaker,
      clips: own.length,
      seconds: +seconds.toFixed(2),
      spikesPerSecond: Math.round(total / seconds),
      perChannelPerSecond: Array.from(perChannel, (s) => Math.round(s / seconds)),
      mostSpikesInOneChannelTick: maxChannelTick,
      cappedTicks: capped,
      backgroundSeconds: +((bgTicks * spec.tickSamples) / spec.sampleRateHz).toFixed(2),
      backgroundSpikes: bgSpikes,
      backgroundSpikesPerSecond: bgTicks > 0 ? +((bgSpikes * spec.sampleRateHz) / (bgTicks * spec.tickSamples)).toFixed(2) : null,
    };
  });
  return perSpeaker;
}

const report = {
  frontEnd: path,
  design: designTable(spec),
  throughput: throughput(),
  fsdd: haveFsdd ? spikeRates() : `not found: ${FSDD_DIR}`,
};

if (json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  const tickMs = (1000 * spec.tickSamples) / spec.sampleRateHz;
  console.log(
    `Front end ${path}: ${C} channels, ${spec.filter.stages} sections, ${spec.sampleRateHz} Hz, ` +
      `${spec.tickSamples}-sample ticks (${+tickMs.toFixed(3)} ms), at most ${spec.deltaModulator.maxSpikesPerTick} spikes a channel-tick each way\n`,
  );
  console.log('ch  centre Hz  bw Hz     Q  sectQ     b0     a1     a2  Δf Hz   Δbw %  gain dB');
  for (const d of report.design) {
    console.log(
      `${String(d.channel).padStart(2)} ${d.centreHz.toFixed(1).padStart(9)} ${d.bandwidthHz.toFixed(1).padStart(6)} ${d.q.toFixed(2).padStart(5)} ${d.sectionQ.toFixed(2).padStart(6)}` +
        ` ${String(d.b0).padStart(6)} ${String(d.a1).padStart(6)} ${String(d.a2).padStart(6)} ${d.centreErrorHz.toFixed(3).padStart(6)} ${d.bandwidthErrorPct.toFixed(3).padStart(7)} ${d.gainErrorDb.toFixed(4).padStart(8)}`,
    );
  }
  const t = report.throughput;
  console.log(
    `\nThroughput (${t.input}, ${t.seconds} s, best of 15): ${t.msPerSecondOfAudio} ms per second of audio, ` +
      `${(t.samplesPerSecond / 1e6).toFixed(2)} M samples/s, ${t.timesRealTime}x real time, ${t.nsPerChannelSample} ns per channel-sample; ${t.spikesPerSecond} spikes/s`,
  );
  if (typeof report.fsdd === 'string') {
    console.log(`\nFSDD ${report.fsdd}`);
  } else {
    console.log(`\nFSDD ${all ? 'all clips' : 'test split (indices 0-4)'}: spikes per second over the bank, per channel (min / median / max), background`);
    for (const s of report.fsdd) {
      const sorted = [...s.perChannelPerSecond].sort((a, b) => a - b);
      console.log(
        `${s.speaker.padEnd(9)} ${String(s.clips).padStart(3)} clips ${s.seconds.toFixed(1).padStart(5)} s: ${String(s.spikesPerSecond).padStart(5)}/s;` +
          ` per channel ${sorted[0]} / ${sorted[Math.floor(C / 2)]} / ${sorted[C - 1]}; most in one channel-tick ${s.mostSpikesInOneChannelTick}, capped ${s.cappedTicks};` +
          ` background ${s.backgroundSeconds} s: ${s.backgroundSpikesPerSecond ?? '-'} spikes/s`,
      );
    }
    const bgSeconds = report.fsdd.reduce((a, s) => a + s.backgroundSeconds, 0);
    const bgSpikes = report.fsdd.reduce((a, s) => a + s.backgroundSpikes, 0);
    console.log(`background overall: ${bgSeconds.toFixed(1)} s, ${(bgSpikes / bgSeconds).toFixed(1)} spikes/s over ${C} channels`);
  }
}
