/**
 * One channel of a device stream, ready for the pipeline: the framing decoder of the device
 * (ASCII lines, Cyton packets or edgespike-pcm16 frames), the channel picked out, the raw
 * counts converted to pipeline counts, and the sample clock kept whole across losses.
 *
 *   sample = round((raw − zeroCounts) · countsPerRaw)
 *
 * Symbols: raw — the device's value; zeroCounts — its value at 0 units; countsPerRaw —
 * pipeline counts per raw count (5 µV per count for ECG; 1 for audio).
 *
 * Losses keep their place in time: a counter gap of N samples (Cyton, pcm16) is filled with N
 * copies of the last sample, so a sample's index stays its time × rate and the spiking network
 * sees a flat line (no spikes) where data is missing; fills are capped at `maxGapFillSamples`
 * per gap (the `gap` event still reports the whole loss). Leads-off lines (AD8232 `!`) carry
 * no samples but each stands for one sample period: they are filled the same way when the
 * leads come back, with a `gap` event just before the `leads-on` one.
 *
 * @example framing 'ascii-lines', zeroCounts 512, countsPerRaw 0.889: bytes "512\r\n737\r\n"
 *   → samples [0, 200]
 * Cost: O(bytes + samples) per call; allocates the returned arrays.
 */
import { addFields } from '../../core/fieldSums.ts';
import { createAsciiLineDecoder, decodeAsciiLines, maxAsciiFrames, type AsciiLineDecoder } from './ad8232Ascii.ts';
import { createCytonDecoder, decodeCyton, finishCyton, maxCytonFrames, type CytonDecoder } from './cytonPacket.ts';
import { createPcm16Decoder, decodePcm16, finishPcm16, maxPcm16Frames, type Pcm16Decoder } from './pcm16Frame.ts';
import type { DecoderStats, DeviceEvent } from './types.ts';

export type Framing = 'ascii-lines' | 'openbci-cyton' | 'edgespike-pcm16';

export interface DeviceStreamOptions {
  readonly framing: Framing;
  /** Channel index within the device's frame (Cyton: 0..7; others: 0). @default 0 */
  readonly channel?: number;
  readonly zeroCounts: number;
  /** Pipeline counts per raw count. */
  readonly countsPerRaw: number;
  /** Most samples filled in for one gap. @default 60 s worth at 1 kHz = 60000 */
  readonly maxGapFillSamples?: number;
  /** ASCII lines: accept the AD8232 beats sketch's `B <sample>` lines (board-beat events). @default false */
  readonly boardBeats?: boolean;
}

/** An event at a position of the output sample stream. */
export type StreamEvent =
  | { readonly kind: 'leads-off' | 'leads-on'; readonly sample: number }
  | { readonly kind: 'gap'; readonly sample: number; readonly missing: number }
  /** A beat the device found itself, at its sample `boardSample` (arrived when the output had `sample` samples). */
  | { readonly kind: 'board-beat'; readonly sample: number; readonly boardSample: number };

type Framer =
  | { readonly framing: 'ascii-lines'; readonly state: AsciiLineDecoder }
  | { readonly framing: 'openbci-cyton'; readonly state: CytonDecoder }
  | { readonly framing: 'edgespike-pcm16'; readonly state: Pcm16Decoder };

export interface DeviceStream {
  readonly options: DeviceStreamOptions;
  framer: Framer;
  /** Statistics of framers replaced by `resetDeviceStream`, kept for the totals. */
  readonly pastStats: DecoderStats[];
  /** Samples output so far, fills included: the next sample's index. */
  samplesOut: number;
  /** The last sample output (held through gaps). */
  last: number;
  /** Samples reported missing so far (counter gaps and leads-off periods). */
  missingSamples: number;
  raw: Int32Array;
  readonly rawEvents: DeviceEvent[];
}

function createFramer(options: DeviceStreamOptions): Framer {
  switch (options.framing) {
    case 'ascii-lines':
      return { framing: 'ascii-lines', state: createAsciiLineDecoder({ boardBeats: options.boardBeats === true }) };
    case 'openbci-cyton':
      return { framing: 'openbci-cyton', state: createCytonDecoder({ channels: [options.channel ?? 0] }) };
    case 'edgespike-pcm16':
      return { framing: 'edgespike-pcm16', state: createPcm16Decoder() };
  }
}

export function createDeviceStream(options: DeviceStreamOptions): DeviceStream {
  return { options, framer: createFramer(options), pastStats: [], samplesOut: 0, last: 0, missingSamples: 0, raw: new Int32Array(1024), rawEvents: [] };
}

/** Start a new framing decoder (after a reconnection: the device restarted its counters). */
export function resetDeviceStream(stream: DeviceStream): void {
  stream.pastStats.push({ ...stream.framer.state.stats });
  stream.framer = createFramer(stream.options);
}

/** Totals over the stream's life (all framers). */
export function deviceStreamStats(stream: DeviceStream): DecoderStats {
  const total = { ...stream.framer.state.stats };
  for (const s of stream.pastStats) addFields(total, s, ['bytesIn', 'bytesDropped', 'unitsOk', 'unitsBad', 'framesOut', 'framesMissing']);
  return total;
}

/** `count` copies of the last sample, advancing the sample clock (for outages the caller measured). */
export function fillDeviceGap(stream: DeviceStream, count: number): Int32Array {
  const fill = new Int32Array(Math.max(0, Math.floor(count))).fill(stream.last);
  stream.samplesOut += fill.length;
  return fill;
}

function decodeRaw(stream: DeviceStream, bytes: Uint8Array | undefined): number {
  if (bytes === undefined) return finishRaw(stream);
  const f = stream.framer;
  const need =
    f.framing === 'ascii-lines'
      ? maxAsciiFrames(bytes.length)
      : f.framing === 'openbci-cyton'
        ? maxCytonFrames(f.state, bytes.length)
        : maxPcm16Frames(f.state, bytes.length);
  if (stream.raw.length < need) stream.raw = new Int32Array(Math.max(need, 2 * stream.raw.length));
  stream.rawEvents.length = 0;
  switch (f.framing) {
    case 'ascii-lines':
      return decodeAsciiLines(f.state, bytes, stream.raw, stream.rawEvents);
    case 'openbci-cyton':
      return decodeCyton(f.state, bytes, stream.raw, stream.rawEvents);
    case 'edgespike-pcm16':
      return decodePcm16(f.state, bytes, stream.raw, stream.rawEvents);
  }
}

/** At the end of a stream (a recording): the units a decoder still holds back for confirmation. */
function finishRaw(stream: DeviceStream): number {
  const f = stream.framer;
  stream.rawEvents.length = 0;
  const need = f.framing === 'openbci-cyton' ? maxCytonFrames(f.state, 0) + 2 : f.framing === 'edgespike-pcm16' ? maxPcm16Frames(f.state, 0) + 1 : 0;
  if (stream.raw.length < need) stream.raw = new Int32Array(need);
  switch (f.framing) {
    case 'ascii-lines':
      return 0;
    case 'openbci-cyton':
      return finishCyton(f.state, stream.raw, stream.rawEvents);
    case 'edgespike-pcm16':
      return finishPcm16(f.state, stream.raw, stream.rawEvents);
  }
}

/**
 * Decode a chunk of bytes; `undefined` at the end of the stream flushes what the framing
 * decoder still holds (a recording's last packets).
 * @returns the chunk's samples (pipeline counts, gaps filled) and its events
 */
export function decodeDeviceStream(stream: DeviceStream, bytes: Uint8Array | undefined): { samples: Int32Array; events: StreamEvent[] } {
  const frames = decodeRaw(stream, bytes);
  const { zeroCounts, countsPerRaw } = stream.options;
  const maxFill = stream.options.maxGapFillSamples ?? 60000;
  const framerBase = stream.framer.state.stats.framesOut - frames; // framer frame index of raw[0]
  // Fill sizes first, to size the output.
  let filled = 0;
  for (const e of stream.rawEvents) if (e.kind === 'leads-on' || e.kind === 'gap') filled += Math.min(e.missing, maxFill);
  const samples = new Int32Array(frames + filled);
  const events: StreamEvent[] = [];
  let out = 0;
  let raw = 0;
  let last = stream.last;
  const emitUntil = (frame: number): void => {
    for (; raw < frame - framerBase && raw < frames; raw++) {
      last = Math.round(((stream.raw[raw] as number) - zeroCounts) * countsPerRaw);
      samples[out++] = last;
    }
  };
  for (const e of stream.rawEvents) {
    emitUntil(e.frame);
    if (e.kind === 'board-beat') {
      events.push({ kind: 'board-beat', sample: stream.samplesOut + out, boardSample: e.sample });
      continue;
    }
    if (e.kind !== 'leads-off' && e.missing > 0) {
      events.push({ kind: 'gap', sample: stream.samplesOut + out, missing: e.missing });
      stream.missingSamples += e.missing;
      const n = Math.min(e.missing, maxFill);
      samples.fill(last, out, out + n);
      out += n;
    }
    if (e.kind !== 'gap') events.push({ kind: e.kind, sample: stream.samplesOut + out });
  }
  emitUntil(framerBase + frames);
  stream.last = last;
  stream.samplesOut += out;
  return { samples: samples.subarray(0, out), events };
}
