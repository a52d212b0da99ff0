// Throughput of the device-stream decoders, kept out of the tests because timings are noisy.
// Encodes a few MB per format, decodes it in small (serial-port-like) and large chunks, clean
// and with 1% of the bytes replaced, and prints MB/s and the headroom over a 1 Mbaud link
// (8N1 framing: 10 bits per byte → 100 kB/s of payload). The target: >= 10x on one core.
// Run from the project root:
//   npx tsx scripts/bench-decoders.ts
import os from 'node:os';
import {
  createAsciiLineDecoder,
  decodeAsciiLines,
  encodeAsciiLines,
  maxAsciiFrames,
} from '../src/formats/devices/ad8232Ascii.ts';
import { createCytonDecoder, decodeCyton, encodeCytonPackets, maxCytonFrames } from '../src/formats/devices/cytonPacket.ts';
import { createPcm16Decoder, decodePcm16, encodePcm16Frames, maxPcm16Frames } from '../src/formats/devices/pcm16Frame.ts';
import type { DeviceEvent } from '../src/formats/devices/types.ts';

const ONE_MBAUD_BYTES_PER_S = 1e6 / 10;
const TARGET_BYTES = 4 * 1024 * 1024;
const REPEATS = 5;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function corrupt(bytes: Uint8Array, fraction: number, seed: number): Uint8Array {
  const random = mulberry32(seed);
  const copy = bytes.slice();
  for (let i = 0, n = Math.round(fraction * bytes.length); i < n; i++) {
    copy[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
  }
  return copy;
}

/** A decoder run over a whole stream in fixed-size chunks; returns the frames decoded. */
type Run = (bytes: Uint8Array, chunkBytes: number) => number;

const runAscii: Run = (bytes, chunkBytes) => {
  const state = createAsciiLineDecoder();
  const out = new Int32Array(maxAsciiFrames(chunkBytes));
  const events: DeviceEvent[] = [];
  let frames = 0;
  for (let at = 0; at < bytes.length; at += chunkBytes) {
    frames += decodeAsciiLines(state, bytes.subarray(at, at + chunkBytes), out, events);
  }
  return frames;
};

const runCyton: Run = (bytes, chunkBytes) => {
  const state = createCytonDecoder();
  const out = new Int32Array((maxCytonFrames(state, chunkBytes) + 2) * 8); // + what the carry may add
  const events: DeviceEvent[] = [];
  let frames = 0;
  for (let at = 0; at < bytes.length; at += chunkBytes) {
    frames += decodeCyton(state, bytes.subarray(at, at + chunkBytes), out, events);
  }
  return frames;
};

const runPcm16: Run = (bytes, chunkBytes) => {
  const state = createPcm16Decoder();
  const out = new Int32Array(maxPcm16Frames(state, chunkBytes) + 1024 + 4); // + what the carry may add
  const events: DeviceEvent[] = [];
  let frames = 0;
  for (let at = 0; at < bytes.length; at += chunkBytes) {
    frames += decodePcm16(state, bytes.subarray(at, at + chunkBytes), out, events);
  }
  return frames;
};

function streams(): { name: string; bytes: Uint8Array; run: Run }[] {
  const random = mulberry32(1);
  const ecg = (i: number): number => Math.round(512 + 300 * Math.sin(i / 25) + 20 * random());
  const asciiValues: number[] = [];
  for (let i = 0; asciiValues.length * 5.5 < TARGET_BYTES; i++) asciiValues.push(ecg(i));
  const cytonFrames = new Int32Array(Math.ceil(TARGET_BYTES / 33) * 8);
  for (let i = 0; i < cytonFrames.length; i++) cytonFrames[i] = Math.round(40000 * Math.sin(i / 200) + 500 * (random() - 0.5));
  const pcmSamples = new Int16Array(Math.ceil(TARGET_BYTES / 2));
  for (let i = 0; i < pcmSamples.length; i++) pcmSamples[i] = Math.round(20000 * Math.sin(i / 7) + 2000 * (random() - 0.5));
  return [
    { name: 'ad8232 ASCII lines', bytes: encodeAsciiLines(asciiValues), run: runAscii },
    { name: 'cyton 33-byte packets', bytes: encodeCytonPackets(cytonFrames), run: runCyton },
    { name: 'pcm16, 64 samples/frame', bytes: encodePcm16Frames(pcmSamples, 64), run: runPcm16 },
    { name: 'pcm16, 512 samples/frame', bytes: encodePcm16Frames(pcmSamples, 512), run: runPcm16 },
  ];
}

function measure(run: Run, bytes: Uint8Array, chunkBytes: number): { mbPerS: number; frames: number } {
  run(bytes, chunkBytes); // warm up the JIT
  let best = Infinity;
  let frames = 0;
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    frames = run(bytes, chunkBytes);
    best = Math.min(best, performance.now() - t0);
  }
  return { mbPerS: bytes.length / 1e6 / (best / 1000), frames };
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`Decoder throughput, one core (${cpu}, Node ${process.version}); best of ${REPEATS} runs.`);
console.log('1 Mbaud = 100 kB/s of payload; headroom = decoder speed / 100 kB/s (target >= 10x).\n');
console.log('stream                      bytes   chunk  input   MB/s   x 1 Mbaud');
for (const { name, bytes, run } of streams()) {
  for (const [label, input] of [['clean', bytes], ['1% bad', corrupt(bytes, 0.01, 2)]] as const) {
    for (const chunkBytes of [64, 65536]) {
      const { mbPerS } = measure(run, input, chunkBytes);
      const headroom = (mbPerS * 1e6) / ONE_MBAUD_BYTES_PER_S;
      console.log(
        `${name.padEnd(26)} ${(bytes.length / 1e6).toFixed(1).padStart(4)} MB ${String(chunkBytes).padStart(6)}  ${label.padEnd(6)} ${mbPerS.toFixed(1).padStart(6)}   ${headroom.toFixed(0).padStart(5)}x`,
      );
    }
  }
}
