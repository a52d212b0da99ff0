/**
 * The network file format (`edgespike-network`, version 1): a small fixed-point LIF network
 * as JSON, validated on load with errors that name the field.
 *
 * ```json
 * {
 *   "format": "edgespike-network",
 *   "version": 1,
 *   "name": "ecg-beat",
 *   "stateBits": 16,
 *   "inputs": ["up", "down"],
 *   "neurons": [
 *     { "name": "E", "threshold": 4000, "memShift": 3, "excShift": 1, "inhShift": 7 },
 *     { "name": "beat", "threshold": 1, "memShift": 0, "refractoryTicks": 72 }
 *   ],
 *   "synapses": [
 *     { "from": "up", "to": "E", "weight": 100, "shift": 2 },
 *     { "from": "E", "to": "beat", "weight": 1 }
 *   ],
 *   "outputs": ["beat"]
 * }
 * ```
 *
 * A synapse's `from` names an input channel or a neuron; `to` names a neuron. Positive
 * weights are excitatory and feed the target's excitatory current, negative weights are
 * inhibitory and feed its inhibitory current; each current has its own leak, so fast
 * excitation and slow inhibition can meet in one neuron. See `lifNeuron.ts` for the equations.
 */
import { ValidationError } from '../core/errors.ts';
import { describeJson, jsonChecker, parseJsonText } from '../core/jsonCheck.ts';
import { INT8_MAX, INT8_MIN, signedMax, signedMin } from '../core/fixedPoint.ts';

/** The value of the `format` field. */
export const NETWORK_FORMAT = 'edgespike-network';
/**
 * The newest network file version this code reads. Version 2 adds dense `projections`
 * (int8 weight matrices, base64) and `nonSpiking` readout neurons; version 1 files read as before.
 */
export const NETWORK_VERSION = 2;
/** Default state width in bits (current and membrane), as on SynSense Xylo. */
export const DEFAULT_STATE_BITS = 16;
/** Longest synaptic delay, in ticks. */
export const MAX_DELAY_TICKS = 1023;
/** Largest leak shift: a time constant of 2^30 ticks is, in practice, no leak. */
export const MAX_LEAK_SHIFT = 30;
/** Largest per-synapse weight shift. */
export const MAX_WEIGHT_SHIFT = 16;

/** How the membrane is reset after a spike. */
export type ResetMode = 'subtract' | 'zero';

/** One neuron's parameters. All integers; thresholds and states in the network's state format. */
export interface NeuronSpec {
  readonly name: string;
  /** Firing threshold θ (state units, > 0). */
  readonly threshold: number;
  /** Membrane leak shift: v -= v >> memShift each tick; time constant ≈ 2^memShift ticks. */
  readonly memShift: number;
  /** Excitatory current leak shift; 0 means the current lasts one tick. @default 0 */
  readonly excShift: number;
  /** Inhibitory current leak shift; 0 means the current lasts one tick. @default 0 */
  readonly inhShift: number;
  /** Constant input added to the membrane every tick (state units). @default 0 */
  readonly bias: number;
  /** After a spike: subtract θ from the membrane, or set it to zero. @default 'subtract' */
  readonly reset: ResetMode;
  /** Ticks after a spike during which the membrane is held at zero and cannot fire. @default 0 */
  readonly refractoryTicks: number;
  /** Lowest membrane value (state units); inhibition cannot push it further. @default state minimum */
  readonly membraneMin: number | undefined;
  /**
   * A non-spiking neuron (version 2): a leaky integrator whose membrane is read, e.g. a class
   * readout whose maximum over time is the class score; its threshold is ignored. @default false
   */
  readonly nonSpiking: boolean;
}

/** One synapse. */
export interface SynapseSpec {
  /** An input channel name or a neuron name. */
  readonly from: string;
  /** A neuron name. */
  readonly to: string;
  /** Signed int8 weight; the synapse adds weight << shift per presynaptic spike. */
  readonly weight: number;
  /** Left shift of the weight (0..16). @default 0 */
  readonly shift: number;
  /**
   * Ticks from the presynaptic spike to its arrival. Input synapses: >= 0, @default 0.
   * Neuron-to-neuron synapses: >= 1 (a spike reaches other neurons on the next tick), @default 1.
   */
  readonly delayTicks: number;
}

/** A validated network. */
export interface NetworkSpec {
  readonly format: typeof NETWORK_FORMAT;
  readonly version: number;
  readonly name: string;
  readonly description: string;
  /** Width of current and membrane states; values saturate at ±2^(stateBits-1). */
  readonly stateBits: number;
  readonly inputs: readonly string[];
  readonly neurons: readonly NeuronSpec[];
  readonly synapses: readonly SynapseSpec[];
  /** Names of the neurons whose spikes are the network's output, in output-index order. */
  readonly outputs: readonly string[];
  /** Free-form metadata (for example the encoder and detector settings the network expects). */
  readonly meta: Readonly<Record<string, unknown>>;
}

const check = jsonChecker('network ');
// Annotated, so that TypeScript narrows after a call that never returns.
const fail: (path: string, message: string) => never = check.fail;
const { object: requireObject, int: intField, string: stringField, names: stringList, rejectUnknown: rejectUnknownOf } = check;
const describe = describeJson;

const KNOWN_TOP = new Set([
  'format', 'version', 'name', 'description', 'stateBits', 'inputs', 'neurons', 'synapses', 'projections', 'outputs', 'meta',
]);
const KNOWN_PROJECTION = new Set(['from', 'to', 'weights', 'shift', 'delayTicks', 'comment']);
const KNOWN_NEURON = new Set([
  'name', 'threshold', 'memShift', 'excShift', 'inhShift', 'bias', 'reset', 'refractoryTicks', 'membraneMin', 'nonSpiking', 'comment',
]);
const KNOWN_SYNAPSE = new Set(['from', 'to', 'weight', 'shift', 'delayTicks', 'comment']);

function rejectUnknown(obj: Record<string, unknown>, known: Set<string>, path: string): void {
  rejectUnknownOf(obj, [...known], path);
}

/**
 * Validate a parsed JSON value as a network. Every error names the field, e.g.
 * `network neurons[1].memShift must be an integer in [0, 30] (got -1)`.
 * @throws ValidationError
 */
export function parseNetwork(json: unknown): NetworkSpec {
  const root = requireObject(json, '(root)');
  rejectUnknown(root, KNOWN_TOP, '');
  const version = check.formatVersion(root, NETWORK_FORMAT, NETWORK_VERSION);
  const stateBits = intField(root, 'stateBits', '', 8, 32, DEFAULT_STATE_BITS);
  const stateMax = signedMax(stateBits);
  const stateMin = signedMin(stateBits);
  const inputs = stringList(root, 'inputs', '');
  if (!Array.isArray(root.neurons) || root.neurons.length === 0) {
    fail('neurons', `must be a non-empty array (got ${describe(root.neurons)})`);
  }
  const names = new Map<string, string>();
  for (const [i, name] of inputs.entries()) {
    if (names.has(name)) fail(`inputs[${i}]`, `"${name}" is declared twice`);
    names.set(name, 'input');
  }
  const neurons: NeuronSpec[] = (root.neurons as unknown[]).map((raw, i) => {
    const path = `neurons[${i}]`;
    const n = requireObject(raw, path);
    rejectUnknown(n, KNOWN_NEURON, path);
    const name = stringField(n, 'name', path);
    if (names.has(name)) fail(`${path}.name`, `"${name}" is already used by an ${names.get(name)}`);
    names.set(name, 'neuron');
    const reset = n.reset ?? 'subtract';
    if (reset !== 'subtract' && reset !== 'zero') {
      fail(`${path}.reset`, `must be "subtract" or "zero" (got ${describe(reset)})`);
    }
    const membraneMin =
      n.membraneMin === undefined ? undefined : intField(n, 'membraneMin', path, stateMin, 0);
    if (n.nonSpiking !== undefined && typeof n.nonSpiking !== 'boolean') {
      fail(`${path}.nonSpiking`, `must be true or false (got ${describe(n.nonSpiking)})`);
    }
    if (n.nonSpiking !== undefined && version < 2) fail(`${path}.nonSpiking`, 'needs version 2');
    const nonSpiking = n.nonSpiking === true;
    return {
      name,
      nonSpiking,
      threshold: nonSpiking && n.threshold === undefined ? stateMax : intField(n, 'threshold', path, 1, stateMax),
      memShift: intField(n, 'memShift', path, 0, MAX_LEAK_SHIFT),
      excShift: intField(n, 'excShift', path, 0, MAX_LEAK_SHIFT, 0),
      inhShift: intField(n, 'inhShift', path, 0, MAX_LEAK_SHIFT, 0),
      bias: intField(n, 'bias', path, stateMin, stateMax, 0),
      reset,
      refractoryTicks: intField(n, 'refractoryTicks', path, 0, 65535, 0),
      membraneMin,
    };
  });
  const neuronNames = new Set(neurons.map((n) => n.name));
  if (root.synapses === undefined && version >= 2) root.synapses = [];
  if (!Array.isArray(root.synapses)) fail('synapses', `must be an array (got ${describe(root.synapses)})`);
  const synapses: SynapseSpec[] = (root.synapses as unknown[]).map((raw, i) => {
    const path = `synapses[${i}]`;
    const s = requireObject(raw, path);
    rejectUnknown(s, KNOWN_SYNAPSE, path);
    const from = stringField(s, 'from', path);
    const to = stringField(s, 'to', path);
    if (!names.has(from)) fail(`${path}.from`, `"${from}" is neither an input nor a neuron`);
    if (!neuronNames.has(to)) fail(`${path}.to`, `"${to}" is not a neuron`);
    const fromNeuron = neuronNames.has(from);
    return {
      from,
      to,
      weight: intField(s, 'weight', path, INT8_MIN, INT8_MAX),
      shift: intField(s, 'shift', path, 0, MAX_WEIGHT_SHIFT, 0),
      delayTicks: intField(s, 'delayTicks', path, fromNeuron ? 1 : 0, MAX_DELAY_TICKS, fromNeuron ? 1 : 0),
    };
  });
  if (root.projections !== undefined) {
    if (version < 2) fail('projections', 'needs version 2');
    if (!Array.isArray(root.projections)) fail('projections', `must be an array (got ${describe(root.projections)})`);
    (root.projections as unknown[]).forEach((raw, k) => {
      const path = `projections[${k}]`;
      const pr = requireObject(raw, path);
      rejectUnknown(pr, KNOWN_PROJECTION, path);
      const from = stringList(pr, 'from', path);
      const to = stringList(pr, 'to', path);
      from.forEach((name, i) => {
        if (!names.has(name)) fail(`${path}.from[${i}]`, `"${name}" is neither an input nor a neuron`);
      });
      to.forEach((name, i) => {
        if (!neuronNames.has(name)) fail(`${path}.to[${i}]`, `"${name}" is not a neuron`);
      });
      const fromNeurons = from.every((name) => neuronNames.has(name));
      const fromInputs = from.every((name) => !neuronNames.has(name));
      if (!fromNeurons && !fromInputs) fail(`${path}.from`, 'must be all inputs or all neurons');
      const shift = intField(pr, 'shift', path, 0, MAX_WEIGHT_SHIFT, 0);
      const delayTicks = intField(pr, 'delayTicks', path, fromNeurons ? 1 : 0, MAX_DELAY_TICKS, fromNeurons ? 1 : 0);
      if (typeof pr.weights !== 'string') fail(`${path}.weights`, 'must be a base64 string of int8 weights, to × from, row-major');
      const weights = decodeBase64Int8(pr.weights);
      if (weights.length !== to.length * from.length) {
        fail(`${path}.weights`, `holds ${weights.length} weights; ${to.length} × ${from.length} = ${to.length * from.length} expected`);
      }
      for (let r = 0; r < to.length; r++) {
        for (let c = 0; c < from.length; c++) {
          const weight = weights[r * from.length + c] as number;
          if (weight !== 0) synapses.push({ from: from[c] as string, to: to[r] as string, weight, shift, delayTicks });
        }
      }
    });
  }
  const outputs = stringList(root, 'outputs', '');
  outputs.forEach((name, i) => {
    if (!neuronNames.has(name)) fail(`outputs[${i}]`, `"${name}" is not a neuron`);
  });
  const meta = root.meta === undefined ? {} : requireObject(root.meta, 'meta');
  return {
    format: NETWORK_FORMAT,
    version,
    name: stringField(root, 'name', '', 'unnamed'),
    description: typeof root.description === 'string' ? root.description : '',
    stateBits,
    inputs,
    neurons,
    synapses,
    outputs,
    meta,
  };
}

/** Parse network JSON text; a syntax error becomes a ValidationError naming the source. */
export function parseNetworkText(text: string, source = 'network'): NetworkSpec {
  return parseJsonText(text, source, parseNetwork);
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Signed bytes from base64 (no node:buffer in a kernel). */
export function decodeBase64Int8(text: string): Int8Array {
  const clean = text.replace(/[\s=]/g, '');
  const out = new Int8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let o = 0;
  for (const ch of clean) {
    const v = BASE64.indexOf(ch);
    if (v < 0) throw new ValidationError(`network weights: "${ch}" is not a base64 character`);
    value = (value << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      const byte = (value >> bits) & 0xff;
      out[o++] = byte > 127 ? byte - 256 : byte;
    }
  }
  return out.subarray(0, o);
}

/** Base64 of signed bytes (for writing network files). */
export function encodeBase64Int8(values: ArrayLike<number>): string {
  let text = '';
  for (let i = 0; i < values.length; i += 3) {
    const b0 = (values[i] as number) & 0xff;
    const b1 = i + 1 < values.length ? (values[i + 1] as number) & 0xff : 0;
    const b2 = i + 2 < values.length ? (values[i + 2] as number) & 0xff : 0;
    const n = (b0 << 16) | (b1 << 8) | b2;
    text += BASE64[(n >> 18) & 63] as string;
    text += BASE64[(n >> 12) & 63] as string;
    text += i + 1 < values.length ? (BASE64[(n >> 6) & 63] as string) : '=';
    text += i + 2 < values.length ? (BASE64[n & 63] as string) : '=';
  }
  return text;
}
