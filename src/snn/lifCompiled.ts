/**
 * A compiled form of the fixed-point LIF engine: the network's parameters are written as
 * constants into a JavaScript function, one straight block of code per neuron and per
 * synapse, which V8 then turns into tight machine code. Same equations, same order of
 * operations, same saturation as `lif.ts` (see there) — so the same spikes, bit for bit; the
 * tests run both on random networks and compare every spike and every state.
 *
 * Why: the interpreted engine reads each neuron's parameters from arrays on every tick; with
 * a handful of neurons that bookkeeping costs more than the arithmetic. Compiled, a tick of
 * the ECG network is a few dozen integer operations.
 *
 * Safety: the generated source contains only numbers taken from a validated `NetworkSpec`
 * (integers in checked ranges) and fixed identifiers; no name or string from the file ever
 * reaches it.
 *
 * Cost: compiling takes well under a millisecond for small networks; code size grows with
 * neurons + synapses, so larger networks use `processLifChunk` (the fast form in `lifFast.ts`).
 */
import type { LifNetwork, LifSpikeEvents, LifTrace } from './lif.ts';
import { createLifNetwork, processLifChunk } from './lif.ts';
import type { NetworkSpec } from './network.ts';

/** Largest network (neurons + synapses) this compiles; bigger ones use `processLifChunk` (`lifFast.ts`). */
export const MAX_COMPILED_SIZE = 2000;

/** Runs `ticks` ticks; the same contract as `processLifChunk`. */
export type LifChunkFunction = (net: LifNetwork, input: Uint8Array, ticks: number, events: LifSpikeEvents, trace?: LifTrace) => number;

function int(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not an integer: ${value}`);
  return String(value);
}

/**
 * Generate the chunk function for a network. The state lives in the `LifNetwork` object from
 * `createLifNetwork` (so the two engines can share and compare state); the function loads it
 * into locals at the start of a chunk and stores it back at the end.
 */
export function compileLifChunkFunction(spec: NetworkSpec): LifChunkFunction {
  const net = createLifNetwork(spec);
  const N = net.neuronCount;
  if (N + spec.synapses.length > MAX_COMPILED_SIZE) {
    throw new RangeError(`network too large to compile (${N} neurons, ${spec.synapses.length} synapses)`);
  }
  const stride = 2 * N;
  const R = net.ringSize;
  const MAX = net.stateMax;
  const lines: string[] = [];
  const emit = (s: string): void => void lines.push(s);

  // Deliver to synapses [start, end) of one source: those with the same delay share one ring slot
  // (its index computed once, its active flag set once); each target's sum saturates as in lif.ts.
  const deliver = (start: number, end: number, countExpr: string | undefined): void => {
    const byDelay = new Map<number, number[]>();
    for (let s = start; s < end; s++) {
      const delay = net.synDelay[s] as number;
      const list = byDelay.get(delay) ?? [];
      list.push(s);
      byDelay.set(delay, list);
    }
    for (const [delay, list] of byDelay) {
      emit(`{ let due = slot + ${int(delay)}; if (due >= ${int(R)}) due -= ${int(R)};`);
      emit(`  const b = due * ${int(stride)};`);
      for (const s of list) {
        const w = net.synWeight[s] as number;
        const offset = (w >= 0 ? 0 : N) + (net.synTarget[s] as number);
        emit(`  { const sum = pending[b + ${int(offset)}] + ${countExpr === undefined ? int(w) : `${int(w)} * ${countExpr}`};`);
        emit(`    pending[b + ${int(offset)}] = sum > 2147483647 ? 2147483647 : sum < -2147483648 ? -2147483648 : sum; }`);
      }
      emit('  slotActive[due] = 1; }');
    }
  };

  emit('"use strict";');
  emit('const { pending, slotActive, exc, inh, membrane, refractoryLeft, spikeCount } = net;');
  emit(`if (input.length < ticks * ${int(net.inputCount)}) throw new RangeError("input holds " + input.length + " counts; " + ticks + " ticks need " + ticks * ${int(net.inputCount)});`);
  emit('let tick = net.tick; let slot = net.slot; let synOps = 0; let written = 0;');
  for (let n = 0; n < N; n++) {
    emit(`let e${n} = exc[${n}], h${n} = inh[${n}], v${n} = membrane[${n}], r${n} = refractoryLeft[${n}], k${n} = 0;`);
  }
  emit(`for (let t = 0; t < ticks; t++, tick++) {`);
  emit(`  const inBase = t * ${int(net.inputCount)};`);
  for (let i = 0; i < net.inputCount; i++) {
    const start = net.inputStart[i] as number;
    const end = net.inputStart[i + 1] as number;
    if (end === start) continue;
    emit(`  { const c = input[inBase + ${i}]; if (c !== 0) {`);
    deliver(start, end, 'c');
    emit(`    synOps += c * ${int(end - start)}; } }`);
  }
  emit(`  const base = slot * ${int(stride)};`);
  emit('  const active = slotActive[slot] === 1; slotActive[slot] = 0;');
  // Which neurons ever receive excitation or inhibition: the other current stays 0 (its pending
  // slots are never written), so its update is left out. The state starts at 0 and only these
  // updates could change it, so the results are the same bit for bit.
  const hasExc = new Uint8Array(N);
  const hasInh = new Uint8Array(N);
  for (let s = 0; s < net.synTarget.length; s++) {
    if ((net.synWeight[s] as number) >= 0) hasExc[net.synTarget[s] as number] = 1;
    else hasInh[net.synTarget[s] as number] = 1;
  }
  for (let n = 0; n < N; n++) {
    const excShift = net.excShift[n] as number;
    const inhShift = net.inhShift[n] as number;
    const memShift = net.memShift[n] as number;
    if (hasExc[n] === 1) emit(excShift === 0 ? `  e${n} = 0;` : `  e${n} -= e${n} >> ${excShift};`);
    if (hasInh[n] === 1) emit(inhShift === 0 ? `  h${n} = 0;` : `  h${n} -= h${n} >> ${inhShift};`);
    if (hasExc[n] === 1 || hasInh[n] === 1) {
      emit('  if (active) {');
      if (hasExc[n] === 1) emit(`    e${n} += pending[base + ${n}]; pending[base + ${n}] = 0; if (e${n} > ${int(MAX)}) e${n} = ${int(MAX)};`);
      if (hasInh[n] === 1) emit(`    h${n} += pending[base + ${N + n}]; pending[base + ${N + n}] = 0; if (h${n} < ${int(net.stateMin)}) h${n} = ${int(net.stateMin)};`);
      emit('  }');
    }
    const refractory = (net.refractoryTicks[n] as number) > 0;
    emit(refractory ? `  if (r${n} > 0) { r${n}--; v${n} = 0; } else {` : '  {');
    const bias = net.bias[n] as number;
    // memShift 0 keeps nothing of the last tick: v − (v >> 0) = 0.
    const kept = memShift === 0 ? '' : `v${n} - (v${n} >> ${memShift}) + `;
    emit(`    v${n} = ${kept}e${n} + h${n}${bias !== 0 ? ` + ${int(bias)}` : ''};`);
    emit(`    if (v${n} > ${int(MAX)}) v${n} = ${int(MAX)}; else if (v${n} < ${int(net.membraneMin[n] as number)}) v${n} = ${int(net.membraneMin[n] as number)};`);
    const theta = net.threshold[n] as number;
    if (theta === Infinity) {
      // A non-spiking neuron: nothing to fire.
      emit('  }');
      continue;
    }
    emit(`    if (v${n} >= ${int(theta)}) {`);
    emit(net.resetToZero[n] === 1 ? `      v${n} = 0;` : `      v${n} -= ${int(theta)};`);
    emit(`      r${n} = ${int(net.refractoryTicks[n] as number)}; k${n}++;`);
    const out = net.outputIndex[n] as number;
    if (out >= 0) emit(`      events.tick[written] = tick; events.output[written] = ${out}; written++;`);
    const start = net.neuronStart[n] as number;
    const end = net.neuronStart[n + 1] as number;
    deliver(start, end, undefined);
    if (end > start) emit(`      synOps += ${int(end - start)};`);
    emit('    }');
    emit('  }');
  }
  emit(`  slot = slot + 1 === ${int(R)} ? 0 : slot + 1;`);
  emit('}');
  for (let n = 0; n < N; n++) {
    emit(`exc[${n}] = e${n}; inh[${n}] = h${n}; membrane[${n}] = v${n}; refractoryLeft[${n}] = r${n}; spikeCount[${n}] += k${n};`);
  }
  emit('net.tick = tick; net.slot = slot; net.synapticOps += synOps;');
  emit(`net.neuronUpdates += ticks * ${int(N)};`);
  emit('return written;');
  // The source holds only validated integers and fixed identifiers (see the module comment).
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const compiled = new Function('net', 'input', 'ticks', 'events', lines.join('\n')) as LifChunkFunction;
  // Recording membranes is the other engine's job; both share the state, bit for bit.
  return (n, input, ticks, events, trace) => (trace === undefined ? compiled(n, input, ticks, events) : processLifChunk(n, input, ticks, events, trace));
}

/** A network's state and the fastest engine for it (compiled when small enough). */
export interface LifRunner {
  readonly net: LifNetwork;
  readonly run: LifChunkFunction;
}

/**
 * Create a network and pick its engine: compiled up to `MAX_COMPILED_SIZE` neurons + synapses
 * (the ECG network: ~3× faster than the alternatives), else `processLifChunk`, the fast form of
 * `lifFast.ts` (the digits model: ~3× faster than the reference). All give the same results.
 */
export function createLifRunner(spec: NetworkSpec): LifRunner {
  const net = createLifNetwork(spec);
  const small = net.neuronCount + spec.synapses.length <= MAX_COMPILED_SIZE;
  return { net, run: small ? compileLifChunkFunction(spec) : processLifChunk };
}
