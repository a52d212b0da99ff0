/**
 * The fixed-point LIF engine: the one way to run a network. `createLifEngine(spec)` creates the
 * network's state (`lifNetwork.ts`) and picks how spikes are delivered; every delivery runs the
 * neuron update of `lifNeuron.ts` (the equations, with their symbol legend, are there), so all
 * give the same spikes, states and counters, bit for bit (tests/snn/lifEngine.test.ts checks
 * each against the plain oracle, tests/snn/lifOracle.ts).
 *
 * Deliveries, fastest first:
 * - `compiled`: the network's parameters and synapses written as literals into one function,
 *   one straight block per neuron and per delay run, input synapses straight into the currents
 *   when the sums are exact; for networks up to `MAX_COMPILED_SIZE` neurons + synapses (the
 *   ECG network: ~3× faster than the generic loop). Engines of one network share the function.
 * - `packed`: the generic loop over the delivery plan (`lifDelivery.ts`), one int32 word per
 *   synapse, unclamped adds (the trained audio models).
 * - `dense`: the same with separate offset and weight arrays, when weights exceed int16.
 * - `saturating`: every pending add clamped at int32, when a sum could overflow.
 * `auto` (the default) takes the first the network allows.
 *
 * Cost per tick: O(neurons) updates plus one add per (spike × fan-out). Creating an engine
 * builds the plan (O(S log S)); a compiled one also generates and compiles its function
 * (well under a millisecond for the ECG network). No allocation per chunk.
 */
import { ValidationError } from '../core/errors.ts';
import { addExact, addExactScaled, addPacked, addPackedScaled, addSaturating } from './lifDelivery.ts';
import { createLifNetwork, resetLifNetwork, type LifNetwork, type LifSpikeEvents, type LifTrace } from './lifNetwork.ts';
import { MAX_INPUT_SPIKES_PER_TICK, neuronUpdateSource, saturatingAddSource, termSource } from './lifNeuron.ts';
import type { NetworkSpec } from './network.ts';

/** Largest network (neurons + synapses) the `compiled` delivery takes; code size grows with it. */
export const MAX_COMPILED_SIZE = 2000;

/** How spikes reach the pending sums (see the module comment). */
export type LifDelivery = 'compiled' | 'packed' | 'dense' | 'saturating';

/** Options of `createLifEngine`. */
export interface LifEngineOptions {
  /**
   * Force one delivery (benchmarks and tests); a delivery the network does not allow is a
   * ValidationError naming the ones it does.
   * @default 'auto' (the first of compiled, packed, dense, saturating the network allows)
   */
  readonly delivery?: LifDelivery | 'auto';
}

/** A network's state and the chunk function that runs it. */
export interface LifEngine {
  readonly net: LifNetwork;
  /** The delivery in use. */
  readonly delivery: LifDelivery;
  /**
   * Run `ticks` ticks; the state carries over from call to call, so chunking never changes
   * the results.
   * @param input spike counts, ticks × inputs row-major (`input[t * inputCount + i]`)
   * @param ticks how many ticks to run
   * @param events caller-owned output buffers; must hold every output spike of the chunk
   *   (at most ticks × outputs)
   * @param trace optional membrane recording (all neurons, or the `neurons` listed); a
   *   compiled engine records through the generic loop on the same state
   * @returns the number of output spike events written
   * @example a neuron with threshold 3, memShift 30 (no leak), one input synapse of weight 1:
   *   input counts [1, 1, 1, 1, 1, 1] → spikes at ticks 2 and 5
   */
  run(input: Uint8Array, ticks: number, events: LifSpikeEvents, trace?: LifTrace): number;
  /** Return the network to rest: states, pending sums, tick and counters zero. */
  reset(): void;
}

type LifChunkFunction = (net: LifNetwork, input: Uint8Array, ticks: number, events: LifSpikeEvents, trace?: LifTrace) => number;
type GenericDelivery = Exclude<LifDelivery, 'compiled'>;

/**
 * Create a network's state and its engine.
 * @param spec a validated network (`parseNetwork`)
 * @example createLifEngine(loadEcgModel().network).delivery → 'compiled';
 *   createLifEngine(loadAudioModel().network).delivery → 'packed'
 */
export function createLifEngine(spec: NetworkSpec, options: LifEngineOptions = {}): LifEngine {
  const net = createLifNetwork(spec);
  const allowed = allowedLifDeliveries(net);
  const wanted = options.delivery ?? 'auto';
  const delivery = wanted === 'auto' ? (allowed[0] as LifDelivery) : wanted;
  if (!allowed.includes(delivery)) {
    throw new ValidationError(`network "${spec.name}" cannot use delivery "${delivery}"; it allows: ${allowed.join(', ')}`);
  }
  const generic = genericChunkFunction(delivery === 'compiled' ? (allowed[1] as GenericDelivery) : delivery);
  let run: LifChunkFunction = generic;
  if (delivery === 'compiled') {
    const compiled = compiledChunkFunction(net);
    run = (n, input, ticks, events, trace) => (trace === undefined ? compiled(n, input, ticks, events) : generic(n, input, ticks, events, trace));
  }
  return {
    net,
    delivery,
    run: (input, ticks, events, trace) => run(net, input, ticks, events, trace),
    reset: () => resetLifNetwork(net),
  };
}

/**
 * The deliveries a network allows, fastest first (always ends with `saturating`).
 * @example allowedLifDeliveries(createLifEngine(loadEcgModel().network).net) → ['compiled', 'packed', 'dense', 'saturating']
 */
export function allowedLifDeliveries(net: LifNetwork): LifDelivery[] {
  const { exactSums, packed } = net.delivery;
  const allowed: LifDelivery[] = [];
  if (net.neuronCount + net.synTarget.length <= MAX_COMPILED_SIZE) allowed.push('compiled');
  if (exactSums && packed !== undefined) allowed.push('packed');
  if (exactSums) allowed.push('dense');
  allowed.push('saturating');
  return allowed;
}

/** The generic loops, one per delivery; they read the network from its arrays, so any network shares them. */
const genericFunctions = new Map<GenericDelivery, LifChunkFunction>();

function genericChunkFunction(delivery: GenericDelivery): LifChunkFunction {
  let fn = genericFunctions.get(delivery);
  if (fn === undefined) {
    // The source holds fixed identifiers only (see lifNeuron.ts).
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const make = new Function('addExact', 'addExactScaled', 'addPacked', 'addPackedScaled', 'addSaturating', genericSource(delivery)) as (
      ...adders: [typeof addExact, typeof addExactScaled, typeof addPacked, typeof addPackedScaled, typeof addSaturating]
    ) => LifChunkFunction;
    fn = make(addExact, addExactScaled, addPacked, addPackedScaled, addSaturating);
    genericFunctions.set(delivery, fn);
  }
  return fn;
}

/** One run's adds, synapses [from, end) of the plan into the slot at `b`, `count` spikes each (source). */
function planAddSource(delivery: GenericDelivery, count: 'count' | 1): string {
  switch (delivery) {
    case 'packed':
      return count === 1 ? 'addPacked(pending, packed, from, end, b);' : 'if (count === 1) addPacked(pending, packed, from, end, b); else addPackedScaled(pending, packed, from, end, b, count);';
    case 'dense':
      return count === 1 ? 'addExact(pending, offset, weight, from, end, b);' : 'if (count === 1) addExact(pending, offset, weight, from, end, b); else addExactScaled(pending, offset, weight, from, end, b, count);';
    case 'saturating':
      return `addSaturating(pending, offset, weight, from, end, b, ${count});`;
  }
}

/** Deliver row `row`'s runs to their ring slots (source); `count` spikes per synapse. */
function planRowSource(delivery: GenericDelivery, row: string, count: 'count' | 1): string[] {
  return [
    `const runEnd = rowRun[${row} + 1];`,
    `for (let k = rowRun[${row}]; k < runEnd; k++) {`,
    '  let due = slot + runDelay[k]; if (due >= ringSize) due -= ringSize;',
    '  const from = runFrom[k], end = runFrom[k + 1], b = due * stride;',
    `  ${planAddSource(delivery, count)}`,
    '  slotActive[due] = 1;',
    '}',
    `synOps += ${count === 1 ? '' : 'count * '}(runFrom[runEnd] - runFrom[rowRun[${row}]]);`,
  ];
}

/** Source of the generic chunk function for one delivery. */
function genericSource(delivery: GenericDelivery): string {
  const update = neuronUpdateSource({
    exc: 'e', inh: 'h', membrane: 'v', refractoryLeft: 'refractoryLeft[n]', active: 'active',
    pendingExc: 'pending[base + n]', pendingInh: 'pending[base + N + n]', receivesExc: true, receivesInh: true,
    excShift: 'excShift[n]', inhShift: 'inhShift[n]', memShift: 'memShift[n]', bias: 'bias[n]', threshold: 'threshold[n]',
    resetToZero: 'resetToZero[n]', refractoryTicks: 'refractoryTicks[n]', membraneMin: 'membraneMin[n]',
    stateMax: 'stateMax', stateMin: 'stateMin',
    onSpike: [
      'spikeCount[n] += 1;',
      'const out = outputIndex[n];',
      'if (out >= 0) { events.tick[written] = tick; events.output[written] = out; written++; }',
      '{',
      ...planRowSource(delivery, 'inputCount + n', 1).map((s) => `  ${s}`),
      '}',
    ],
  });
  return [
    '"use strict";',
    'return function lifChunk(net, input, ticks, events, trace) {',
    '  const { neuronCount: N, inputCount, stateMin, stateMax, threshold, memShift, excShift, inhShift, bias,',
    '    resetToZero, refractoryTicks, membraneMin, exc, inh, membrane, refractoryLeft, pending, slotActive,',
    '    ringSize, outputIndex, spikeCount } = net;',
    '  const { rowRun, runFrom, runDelay, offset, weight, packed } = net.delivery;',
    '  if (input.length < ticks * inputCount) throw new RangeError("input holds " + input.length + " counts; " + ticks + " ticks need " + ticks * inputCount);',
    '  const stride = 2 * N;',
    '  let written = 0, tick = net.tick, slot = net.slot, synOps = 0;',
    '  const traceMembrane = trace === undefined || trace.neurons !== undefined ? undefined : trace.membrane;',
    '  const probeNeurons = trace === undefined ? undefined : trace.neurons;',
    '  const probeCount = probeNeurons === undefined ? 0 : probeNeurons.length;',
    '  for (let t = 0; t < ticks; t++, tick++) {',
    // This tick's input spikes (input synapses may be delayed too).
    '    const inBase = t * inputCount;',
    '    for (let i = 0; i < inputCount; i++) {',
    '      const count = input[inBase + i];',
    '      if (count === 0) continue;',
    ...planRowSource(delivery, 'i', 'count').map((s) => `      ${s}`),
    '    }',
    '    const base = slot * stride;',
    '    const active = slotActive[slot] === 1;',
    '    slotActive[slot] = 0;',
    '    for (let n = 0; n < N; n++) {',
    '      let e = exc[n], h = inh[n], v = membrane[n];',
    ...update.map((s) => `      ${s}`),
    '      exc[n] = e; inh[n] = h; membrane[n] = v;',
    '      if (traceMembrane !== undefined) traceMembrane[t * N + n] = v;',
    '    }',
    '    if (probeNeurons !== undefined) for (let k = 0; k < probeCount; k++) trace.membrane[t * probeCount + k] = membrane[probeNeurons[k]];',
    '    slot = slot + 1 === ringSize ? 0 : slot + 1;',
    '  }',
    '  net.tick = tick; net.slot = slot; net.synapticOps += synOps; net.neuronUpdates += ticks * N;',
    '  return written;',
    '};',
  ].join('\n');
}

/** Up to this many pending sums fed by the ring, a compiled tick reads them without testing the slot's flag. */
const MAX_UNFLAGGED_READS = 16;

/** Compiled chunk functions by source, so engines of one network share one function (compiled and optimised once). */
const compiledFunctions = new Map<string, LifChunkFunction>();
/** Bound on that cache (tuning creates many networks): past it, the cache starts over. */
const MAX_CACHED_COMPILED = 64;

/**
 * The compiled chunk function of one network: its parameters and synapses as literals. The
 * state stays in the `LifNetwork` (so the generic loop can record traces on it); the function
 * loads it into locals at the start of a chunk and stores it back at the end. Engines whose
 * networks generate the same source share one function.
 */
function compiledChunkFunction(net: LifNetwork): LifChunkFunction {
  const source = compiledSource(net);
  let fn = compiledFunctions.get(source);
  if (fn === undefined) {
    if (compiledFunctions.size >= MAX_CACHED_COMPILED) compiledFunctions.clear();
    // The source holds only validated integers and fixed identifiers (see lifNeuron.ts).
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    fn = new Function('net', 'input', 'ticks', 'events', source) as LifChunkFunction;
    compiledFunctions.set(source, fn);
  }
  return fn;
}

/**
 * `Σ c_i · w_i` as source, the inputs of equal weight summed first (`(c0 + c1) * 4096`);
 * `undefined` when every weight is 0.
 */
function weightedInputsSource(terms: ReadonlyMap<number, number>): string | undefined {
  const byWeight = new Map<number, number[]>();
  for (const [input, w] of terms) {
    if (w === 0) continue;
    const inputs = byWeight.get(w);
    if (inputs === undefined) byWeight.set(w, [input]);
    else inputs.push(input);
  }
  const parts = [...byWeight].map(([w, inputs]) => {
    const counts = inputs.map((i) => `c${i}`).join(' + ');
    if (w === 1) return inputs.length === 1 ? counts : `(${counts})`;
    return `${inputs.length === 1 ? counts : `(${counts})`} * ${termSource(w)}`;
  });
  return parts.length === 0 ? undefined : parts.join(' + ');
}

/**
 * Source of a network's compiled chunk function. When its sums are exact (`exactSums`), the
 * input synapses take a shorter way than the ring, as the exported C does (`export/ecgC.ts`):
 * undelayed ones add `Σ c_i · w_i` straight to the target's current, and the delayed ones of one
 * delay add their sum over the inputs to one ring slot, in one block. The ring then holds, at
 * the end of every tick, exactly what the generic loops leave there (an undelayed arrival waits
 * in the current tick's slot, which the tick itself empties), so states, spikes and counters
 * stay bit for bit. Each tick reads (and empties) the pending sums of the currents the ring
 * feeds (up to `MAX_UNFLAGGED_READS` of them) whatever the slot's flag, and writes no flag: a
 * few loads cost less than a branch that input spikes make unpredictable, and the flags' loads
 * and stores were a tenth of the ECG network's time. (The flags are only a hint that lets the
 * generic loops skip empty slots; the chunk flags every slot as it ends, which is always true.)
 * Past that many currents, the flags are kept and tested as the generic loops do.
 */
function compiledSource(net: LifNetwork): string {
  const N = net.neuronCount;
  const I = net.inputCount;
  const R = net.ringSize;
  const stride = 2 * N;
  const { rowRun, runFrom, runDelay, offset, weight, exactSums } = net.delivery;
  // Past a few currents fed by the ring, a tick tests its slot's flag before reading them, and the
  // flags are kept; up to that, every tick reads them all and no flag is written (set below).
  let keepFlags = true;
  const lines: string[] = [];
  const emit = (s: string): void => void lines.push(s);
  // Row r's runs, one block per delay: the slot computed and flagged once, then one add per synapse.
  const deliverRow = (row: number, count: string | undefined): string[] => {
    const out: string[] = [];
    for (let k = rowRun[row] as number; k < (rowRun[row + 1] as number); k++) {
      out.push(`{ let due = slot + ${termSource(runDelay[k] as number)}; if (due >= ${R}) due -= ${R};`);
      out.push(`  const b = due * ${stride};`);
      for (let s = runFrom[k] as number; s < (runFrom[k + 1] as number); s++) {
        if ((twinOf[offset[s] as number] as number) >= 0) continue;
        const at = `pending[b + ${termSource(offset[s] as number)}]`;
        const term = count === undefined ? termSource(weight[s] as number) : `${termSource(weight[s] as number)} * ${count}`;
        out.push(exactSums ? `  ${at} += ${term};` : `  ${saturatingAddSource(at, term)}`);
      }
      out.push(keepFlags ? '  slotActive[due] = 1; }' : '}');
    }
    return out;
  };
  const rowSize = (row: number): number => (runFrom[rowRun[row + 1] as number] as number) - (runFrom[rowRun[row] as number] as number);
  // Twin currents: a place (target, or N + target when inhibitory) whose synapses (source, delay,
  // weight) and leak shift are those of an earlier neuron's place of the same sign holds, tick for
  // tick, the same current (the search-back's `cand` copies `qrs`'s synapses: snn/ecgBeatNetwork.ts).
  // Its arrivals are not delivered and its update is a copy of the earlier one's (as export/ecgC.ts
  // does); at the end of the chunk its ring entries are copied from the earlier place's, so the
  // ring holds what the generic loops leave there.
  const twinOf = new Int32Array(stride).fill(-1);
  {
    const keys = Array.from({ length: stride }, () => [] as string[]);
    for (let row = 0; row < I + N; row++) {
      for (let k = rowRun[row] as number; k < (rowRun[row + 1] as number); k++) {
        for (let s = runFrom[k] as number; s < (runFrom[k + 1] as number); s++) keys[offset[s] as number]?.push(`${row}:${runDelay[k] as number}:${weight[s] as number}`);
      }
    }
    const shiftOf = (place: number): number => (place < N ? (net.excShift[place] as number) : (net.inhShift[place - N] as number));
    const firstWith = new Map<string, number>();
    for (let place = 0; place < stride; place++) {
      const list = keys[place] as string[];
      if (list.length === 0) continue;
      const key = `${place < N ? 'e' : 'i'} ${shiftOf(place)} ${list.sort().join(' ')}`;
      const first = firstWith.get(key);
      if (first === undefined) firstWith.set(key, place);
      else twinOf[place] = first;
    }
  }

  // Where each place of a ring slot (target, or N + target when inhibitory) gets its input:
  // now[place] (input → summed weight) for undelayed input synapses of an exact network, and
  // later[delay][place] for its delayed ones; ringFed[place] when anything waits in the ring.
  const now = new Map<number, Map<number, number>>();
  const later = new Map<number, Map<number, Map<number, number>>>();
  const laterInputs = new Map<number, Set<number>>();
  const ringFed = new Uint8Array(stride);
  // Per place, the largest sum of one tick's arrivals (lifDelivery.ts's B).
  const arrivalBound = new Float64Array(stride);
  const addTerm = (into: Map<number, Map<number, number>>, place: number, input: number, w: number): void => {
    let terms = into.get(place);
    if (terms === undefined) into.set(place, (terms = new Map<number, number>()));
    terms.set(input, (terms.get(input) ?? 0) + w);
  };
  for (let row = 0; row < I + N; row++) {
    for (let k = rowRun[row] as number; k < (rowRun[row + 1] as number); k++) {
      const delay = runDelay[k] as number;
      for (let s = runFrom[k] as number; s < (runFrom[k + 1] as number); s++) {
        const place = offset[s] as number;
        const w = weight[s] as number;
        arrivalBound[place] = (arrivalBound[place] as number) + Math.abs(w) * (row < I ? MAX_INPUT_SPIKES_PER_TICK : 1);
        if ((twinOf[place] as number) >= 0) continue;
        if (row >= I || !exactSums) ringFed[place] = 1;
        else if (delay === 0) addTerm(now, place, row, w);
        else {
          ringFed[place] = 1;
          let d = later.get(delay);
          if (d === undefined) later.set(delay, (d = new Map<number, Map<number, number>>()));
          addTerm(d, place, row, w);
          let ins = laterInputs.get(delay);
          if (ins === undefined) laterInputs.set(delay, (ins = new Set<number>()));
          ins.add(row);
        }
      }
    }
  }
  // Past a few currents, the flag again saves more loads than its branch costs.
  let ringFedCount = 0;
  for (const f of ringFed) ringFedCount += f;
  const readAlways = ringFedCount <= MAX_UNFLAGGED_READS;
  keepFlags = !readAlways;
  const inputs = Array.from({ length: I }, (_, i) => i).filter((i) => rowSize(i) > 0);
  // Synaptic events of the inputs, per tick Σ c_i · rowSize(i): summed per row size, multiplied at the end.
  const bySize = new Map<number, number[]>();
  for (const i of inputs) {
    const group = bySize.get(rowSize(i));
    if (group === undefined) bySize.set(rowSize(i), [i]);
    else group.push(i);
  }
  const sizes = [...bySize];

  emit('"use strict";');
  emit('const { pending, slotActive, exc, inh, membrane, refractoryLeft, spikeCount } = net;');
  emit(`if (input.length < ticks * ${I}) throw new RangeError("input holds " + input.length + " counts; " + ticks + " ticks need " + ticks * ${I});`);
  emit('let tick = net.tick; let slot = net.slot; let synOps = 0; let written = 0;');
  if (exactSums) sizes.forEach((_, j) => emit(`let q${j} = 0;`));
  for (let n = 0; n < N; n++) emit(`let e${n} = exc[${n}], h${n} = inh[${n}], v${n} = membrane[${n}], r${n} = refractoryLeft[${n}], k${n} = 0;`);
  emit('for (let t = 0; t < ticks; t++, tick++) {');
  emit(`const inBase = t * ${I};`);
  const nowSource = new Map<number, string>();
  if (exactSums) {
    for (const i of inputs) emit(`const c${i} = input[inBase + ${i}];`);
    sizes.forEach(([, group], j) => emit(`q${j} += ${group.map((i) => `c${i}`).join(' + ')};`));
    for (const [delay, places] of [...later].sort((a, b) => a[0] - b[0])) {
      const any = [...(laterInputs.get(delay) as Set<number>)].map((i) => `c${i}`).join(' | ');
      // Without a branch (input spikes come at random): the adds are 0 and the flag is or-ed
      // with 0 on a tick without spikes; ((c | …) + 255) >> 8 is 1 exactly when a count (≤ 255) is not 0.
      emit(`{ let due = slot + ${delay}; if (due >= ${R}) due -= ${R};`);
      emit(`  const b = due * ${stride};`);
      for (const [place, terms] of places) {
        const sum = weightedInputsSource(terms);
        if (sum !== undefined) emit(`  pending[b + ${place}] += ${sum};`);
      }
      emit(keepFlags ? `  slotActive[due] |= ((${any}) + 255) >> 8; }` : '}');
    }
    // This tick's undelayed arrivals, one local per distinct sum.
    const locals = new Map<string, string>();
    for (const [place, terms] of now) {
      const sum = weightedInputsSource(terms);
      if (sum === undefined) continue;
      let name = locals.get(sum);
      if (name === undefined) {
        name = `a${locals.size}`;
        locals.set(sum, name);
        emit(`const ${name} = ${sum};`);
      }
      nowSource.set(place, name);
    }
  } else {
    for (const i of inputs) {
      emit(`{ const c = input[inBase + ${i}]; if (c !== 0) {`);
      for (const s of deliverRow(i, 'c')) emit(s);
      emit(`synOps += c * ${rowSize(i)}; } }`);
    }
  }
  emit(`const base = slot * ${stride};`);
  if (!readAlways) emit('const active = slotActive[slot] === 1; slotActive[slot] = 0;');
  // A current no synapse of its sign reaches stays 0 (its pending slots are never written), so
  // its update is left out: the same results, bit for bit, from the zero state.
  const receivesExc = new Uint8Array(N);
  const receivesInh = new Uint8Array(N);
  for (let s = 0; s < net.synTarget.length; s++) {
    if ((net.synWeight[s] as number) >= 0) receivesExc[net.synTarget[s] as number] = 1;
    else receivesInh[net.synTarget[s] as number] = 1;
  }
  for (let n = 0; n < N; n++) {
    const out = net.outputIndex[n] as number;
    const onSpike = [`k${n}++;`];
    if (out >= 0) onSpike.push(`events.tick[written] = tick; events.output[written] = ${out}; written++;`);
    onSpike.push(...deliverRow(I + n, undefined));
    if (rowSize(I + n) > 0) onSpike.push(`synOps += ${rowSize(I + n)};`);
    const update = neuronUpdateSource({
      exc: `e${n}`, inh: `h${n}`, membrane: `v${n}`, refractoryLeft: `r${n}`, active: readAlways ? 'true' : 'active',
      pendingExc: `pending[base + ${n}]`, pendingInh: `pending[base + ${N + n}]`,
      receivesExc: receivesExc[n] === 1, receivesInh: receivesInh[n] === 1,
      nowExc: nowSource.get(n), nowInh: nowSource.get(N + n),
      ringExc: ringFed[n] === 1, ringInh: ringFed[N + n] === 1,
      // A current that keeps nothing (shift 0) is this tick's arrivals: no clamp when they cannot pass the bound.
      clampExc: !((net.excShift[n] as number) === 0 && (arrivalBound[n] as number) <= net.stateMax),
      clampInh: !((net.inhShift[n] as number) === 0 && (arrivalBound[N + n] as number) <= -net.stateMin),
      twinExc: (twinOf[n] as number) >= 0 ? `e${twinOf[n] as number}` : undefined,
      twinInh: (twinOf[N + n] as number) >= 0 ? `h${(twinOf[N + n] as number) - N}` : undefined,
      excShift: net.excShift[n] as number, inhShift: net.inhShift[n] as number, memShift: net.memShift[n] as number,
      bias: net.bias[n] as number, threshold: net.threshold[n] as number, resetToZero: net.resetToZero[n] as number,
      refractoryTicks: net.refractoryTicks[n] as number, membraneMin: net.membraneMin[n] as number,
      stateMax: net.stateMax, stateMin: net.stateMin, onSpike,
    });
    for (const s of update) emit(s);
  }
  emit(`slot = slot + 1 === ${R} ? 0 : slot + 1;`);
  emit('}');
  for (let n = 0; n < N; n++) emit(`exc[${n}] = e${n}; inh[${n}] = h${n}; membrane[${n}] = v${n}; refractoryLeft[${n}] = r${n}; spikeCount[${n}] += k${n};`);
  for (let place = 0; place < stride; place++) {
    const first = twinOf[place] as number;
    if (first >= 0) emit(`for (let s = 0; s < ${R * stride}; s += ${stride}) pending[s + ${place}] = pending[s + ${first}];`);
  }
  if (exactSums) sizes.forEach(([size], j) => emit(`synOps += q${j} * ${size};`));
  // Without flags in the loop, every slot is flagged at the end of the chunk: always true to the
  // flags' meaning (an unflagged slot is empty), for a generic loop that may run next (a traced chunk).
  if (!keepFlags) emit('slotActive.fill(1);');
  emit(`net.tick = tick; net.slot = slot; net.synapticOps += synOps; net.neuronUpdates += ticks * ${N};`);
  emit('return written;');
  return lines.join('\n');
}
