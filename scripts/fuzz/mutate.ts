/**
 * The fuzzer's mutations: seeded, deterministic edits of a file's bytes, of a text file's lines
 * and numbers, of a JSON document's tree (keys deleted or doubled, values of the wrong type or
 * at extremes) and of a WAV file's header fields. Each returns the mutated content and a short
 * description ("json: meta.frontEnd.channels = 1e300"), which goes into a failing case's report.
 */
import { nextUniform, type Rng } from '../../src/synth/random.ts';

/** A uniform integer in [0, n). */
export function int(rng: Rng, n: number): number {
  return Math.floor(nextUniform(rng) * n);
}

/** One element of `items`, uniformly. */
export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[int(rng, items.length)] as T;
}

/** True with probability `p`. */
export function chance(rng: Rng, p: number): boolean {
  return nextUniform(rng) < p;
}

/** Numbers at the edges: zero, negative, huge, tiny, not a number, past 2^53, past 2^32. */
export const EXTREME_NUMBERS: readonly string[] = [
  '0', '-1', '1', '1e300', '-1e300', '1e-9', 'NaN', 'Infinity', '-Infinity', '9007199254740993', '18446744073709551616',
  '1e999', '-0', '0.5', '2147483648', '-2147483649', '4294967296', '65536', '1e21', '123456789012345678901234567890', '0x10', '1e', '.',
];

/** Control characters and terminal escapes a hostile file might carry. */
const CONTROL_STRINGS: readonly string[] = ['\x00', '\x1b[31mred\x1b[0m', '\r', '\n', '\t', '\u2028', '\x07', '\x7f', '\u009b', '\x1b]0;title\x07', '\r\n\r\n'];

/** Lengths of inserted long strings (the last ones pass the 1 MiB line limit). */
const LONG_LENGTHS: readonly number[] = [300, 5000, 100_000, 1_100_000];

/** A mutated content and what was done to it. */
export interface Mutated<T> {
  readonly value: T;
  readonly what: string;
}

/** A long run of one character, sometimes of digits (a number that never ends). */
function longString(rng: Rng): string {
  const length = pick(rng, LONG_LENGTHS);
  return pick(rng, ['x', '9', '-', ' ', 'é']).repeat(length);
}

// ---------------------------------------------------------------------------------------------
// Bytes

const INTERESTING_BYTES = [0x00, 0xff, 0x7f, 0x80, 0x01, 0x0a, 0x0d, 0x1b, 0x20, 0x2c, 0x23];
const INTERESTING_WORDS = [0, 1, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 0x10000, 3, 8, 16, 24, 32];

/** A random span [start, start + length) of a buffer of `size` bytes, length biased short. */
function span(rng: Rng, size: number): [number, number] {
  const start = int(rng, size + 1);
  const longest = size - start;
  const length = Math.min(longest, chance(rng, 0.7) ? int(rng, 64) + 1 : int(rng, longest + 1));
  return [start, length];
}

/** One byte-level mutation: bits flipped, bytes or words set, truncation, chunks deleted, doubled or inserted. */
export function mutateBytes(rng: Rng, input: Buffer): Mutated<Buffer> {
  const size = input.length;
  const op = int(rng, 9);
  switch (op) {
    case 0: {
      const out = Buffer.from(input);
      const count = 1 + int(rng, 8);
      for (let i = 0; i < count && size > 0; i++) {
        const at = int(rng, size);
        out[at] = (out[at] as number) ^ (1 << int(rng, 8));
      }
      return { value: out, what: `bytes: ${count} bit flips` };
    }
    case 1: {
      const out = Buffer.from(input);
      const count = 1 + int(rng, 4);
      for (let i = 0; i < count && size > 0; i++) out[int(rng, size)] = pick(rng, INTERESTING_BYTES);
      return { value: out, what: `bytes: ${count} bytes set` };
    }
    case 2: {
      if (size < 4) return { value: Buffer.from(input), what: 'bytes: unchanged (too short)' };
      const out = Buffer.from(input);
      const at = int(rng, size - 3);
      const word = pick(rng, INTERESTING_WORDS);
      if (chance(rng, 0.5)) out.writeUInt32LE(word >>> 0, at);
      else out.writeUInt16BE(word & 0xffff, at);
      return { value: out, what: `bytes: word ${word} at ${at}` };
    }
    case 3: {
      const length = pick(rng, [0, 1, int(rng, size + 1), Math.max(0, size - 1), Math.floor(size / 2)]);
      return { value: input.subarray(0, length), what: `bytes: truncated to ${length} of ${size}` };
    }
    case 4: {
      const [start, length] = span(rng, size);
      return { value: Buffer.concat([input.subarray(0, start), input.subarray(start + length)]), what: `bytes: ${length} deleted at ${start}` };
    }
    case 5: {
      const [start, length] = span(rng, size);
      const at = int(rng, size + 1);
      const times = chance(rng, 0.8) ? 1 : 1 + int(rng, 200);
      const chunk = Buffer.concat(Array.from({ length: times }, () => input.subarray(start, start + length)));
      return { value: Buffer.concat([input.subarray(0, at), chunk, input.subarray(at)]), what: `bytes: ${length} bytes from ${start} copied ${times}x to ${at}` };
    }
    case 6: {
      const length = 1 + int(rng, chance(rng, 0.9) ? 64 : 100_000);
      const junk = Buffer.alloc(length);
      for (let i = 0; i < length; i++) junk[i] = int(rng, 256);
      const at = int(rng, size + 1);
      return { value: Buffer.concat([input.subarray(0, at), junk, input.subarray(at)]), what: `bytes: ${length} random bytes inserted at ${at}` };
    }
    case 7: {
      const fill = pick(rng, [0x00, 0xff, 0x41]);
      const length = pick(rng, [1, 100, 65_536, 2_000_000]);
      return { value: Buffer.concat([input, Buffer.alloc(length, fill)]), what: `bytes: ${length} bytes of ${fill} appended` };
    }
    default:
      return { value: Buffer.alloc(0), what: 'bytes: emptied' };
  }
}

// ---------------------------------------------------------------------------------------------
// Text

const NUMBER = /[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/g;

/** One text mutation: a number replaced by an extreme, a line deleted, doubled or swapped, control characters, a long string. */
export function mutateText(rng: Rng, text: string): Mutated<string> {
  const op = int(rng, 10);
  const lines = text.split('\n');
  const line = int(rng, lines.length);
  switch (op) {
    case 0:
    case 1:
    case 2: {
      const matches = [...text.matchAll(NUMBER)];
      // Numbers near the start (a header, a comment, the first rows) matter most: bias there.
      const limit = chance(rng, 0.6) ? Math.min(matches.length, 40) : matches.length;
      if (limit === 0) return { value: text + pick(rng, EXTREME_NUMBERS), what: 'text: number appended' };
      const match = matches[int(rng, limit)] as RegExpMatchArray;
      const replacement = pick(rng, EXTREME_NUMBERS);
      const at = match.index ?? 0;
      return { value: text.slice(0, at) + replacement + text.slice(at + match[0].length), what: `text: number "${match[0]}" at ${at} -> ${replacement}` };
    }
    case 3:
      lines.splice(line, 1);
      return { value: lines.join('\n'), what: `text: line ${line + 1} deleted` };
    case 4: {
      const times = chance(rng, 0.8) ? 1 : 1 + int(rng, 1000);
      lines.splice(line, 0, ...Array.from({ length: times }, () => lines[line] as string));
      return { value: lines.join('\n'), what: `text: line ${line + 1} repeated ${times}x` };
    }
    case 5: {
      const other = int(rng, lines.length);
      [lines[line], lines[other]] = [lines[other] as string, lines[line] as string];
      return { value: lines.join('\n'), what: `text: lines ${line + 1} and ${other + 1} swapped` };
    }
    case 6: {
      const control = pick(rng, CONTROL_STRINGS);
      const at = int(rng, Math.min(text.length, 2000) + 1);
      return { value: text.slice(0, at) + control + text.slice(at), what: `text: control ${JSON.stringify(control)} at ${at}` };
    }
    case 7: {
      const long = longString(rng);
      const at = chance(rng, 0.5) ? int(rng, Math.min(text.length, 2000) + 1) : text.length;
      return { value: text.slice(0, at) + long + text.slice(at), what: `text: ${long.length} x "${long[0]}" at ${at}` };
    }
    case 8: {
      const words = (lines[line] ?? '').split(/(\s+|,|;)/);
      const w = int(rng, words.length);
      words[w] = pick(rng, [...EXTREME_NUMBERS, '', 'abc', '"', '#', '\u00e9\u00e9', '\ufeff']);
      lines[line] = words.join('');
      return { value: lines.join('\n'), what: `text: line ${line + 1} field ${w} -> ${JSON.stringify(words[w])}` };
    }
    default: {
      const variant = int(rng, 3);
      if (variant === 0) return { value: `\ufeff${text}`, what: 'text: byte order mark' };
      if (variant === 1) return { value: text.replace(/\n/g, '\r\n'), what: 'text: CRLF line ends' };
      return { value: text.replace(/\n/g, '\r'), what: 'text: CR line ends' };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// JSON, as a tree that can hold duplicate keys and raw literals (NaN, 1e999)

/** A JSON value whose objects keep their entries in order, duplicates included. */
export type JsonNode =
  | { readonly kind: 'raw'; readonly text: string }
  | { readonly kind: 'array'; items: JsonNode[] }
  | { readonly kind: 'object'; entries: [string, JsonNode][] };

/** The tree of a parsed JSON value. */
export function toNode(value: unknown): JsonNode {
  if (Array.isArray(value)) return { kind: 'array', items: value.map(toNode) };
  if (value !== null && typeof value === 'object') return { kind: 'object', entries: Object.entries(value).map(([k, v]) => [k, toNode(v)]) };
  return { kind: 'raw', text: JSON.stringify(value) };
}

/** The JSON text of a tree (duplicate keys and raw literals as they are). */
export function fromNode(node: JsonNode): string {
  if (node.kind === 'raw') return node.text;
  if (node.kind === 'array') return `[${node.items.map(fromNode).join(',')}]`;
  return `{${node.entries.map(([k, v]) => `${JSON.stringify(k)}:${fromNode(v)}`).join(',')}}`;
}

/** A slot in the tree: the container and the index of an item or entry in it. */
interface Slot {
  readonly parent: JsonNode & { kind: 'array' | 'object' };
  readonly index: number;
  readonly path: string;
}

function childAt(slot: Slot): JsonNode {
  return slot.parent.kind === 'array' ? (slot.parent.items[slot.index] as JsonNode) : (slot.parent.entries[slot.index] as [string, JsonNode])[1];
}

function setChild(slot: Slot, node: JsonNode): void {
  if (slot.parent.kind === 'array') slot.parent.items[slot.index] = node;
  else (slot.parent.entries[slot.index] as [string, JsonNode])[1] = node;
}

/**
 * A random slot under `root`, found by descending: at each container, stop there with
 * probability 0.35, else go into a random child. Top-level and near-top fields (versions,
 * rates, names) are chosen often, deep weights less.
 */
function randomSlot(rng: Rng, root: JsonNode, rootPath: string): Slot | undefined {
  let node = root;
  let path = rootPath;
  let slot: Slot | undefined;
  for (;;) {
    if (node.kind === 'raw') return slot;
    const count = node.kind === 'array' ? node.items.length : node.entries.length;
    if (count === 0) return slot;
    const index = int(rng, count);
    const key = node.kind === 'array' ? `[${index}]` : `.${(node.entries[index] as [string, JsonNode])[0]}`;
    slot = { parent: node, index, path: path + key };
    node = childAt(slot);
    if (chance(rng, 0.35)) return slot;
    path = slot.path;
  }
}

/** Values of the wrong type, or at an extreme. */
function strangeValue(rng: Rng, old: JsonNode): JsonNode {
  const raw = (text: string): JsonNode => ({ kind: 'raw', text });
  // A number mostly becomes another number (often still valid, so the file gets further in).
  const numeric = old.kind === 'raw' && /^-?\d/.test(old.text);
  const op = numeric && chance(rng, 0.5) ? pick(rng, [0, 8, 9, 9]) : int(rng, 12);
  switch (op) {
    case 0:
    case 1:
    case 2:
      return raw(pick(rng, EXTREME_NUMBERS));
    case 3:
      return raw(pick(rng, ['null', 'true', 'false', '""', '"0"', '"360"', '[]', '{}', '[0]', '{"a":1}']));
    case 4:
      return raw(JSON.stringify(longString(rng)));
    case 5:
      return raw(JSON.stringify(`a${pick(rng, CONTROL_STRINGS)}b`));
    case 6: {
      const depth = pick(rng, [100, 5000, 200_000]);
      return raw(`${'['.repeat(depth)}${']'.repeat(depth)}`);
    }
    case 7: {
      // A huge array of copies of the old value (or of zeros).
      const length = pick(rng, [1000, 100_000, 1_000_000]);
      const item = old.kind === 'raw' && old.text.length < 20 ? old.text : '0';
      return raw(`[${Array.from({ length }, () => item).join(',')}]`);
    }
    case 8:
      return old.kind === 'raw' && /^-?\d/.test(old.text) ? raw(String(-Number(old.text))) : raw('-1');
    case 9:
      return old.kind === 'raw' && /^-?\d/.test(old.text) ? raw(String(Number(old.text) * pick(rng, [2, 10, 1000, 0.5, 0.001]))) : raw('0');
    case 10:
      return raw(pick(rng, ['"__proto__"', '"constructor"', '{"__proto__":{"x":1}}', '"../../etc/passwd"', '"/dev/zero"']));
    default:
      return old.kind === 'raw' && old.text.startsWith('"') ? raw(JSON.stringify(`${JSON.parse(old.text) as string}x`)) : raw('"text"');
  }
}

/** One JSON tree mutation (delete, duplicate or add a key; a value of the wrong type or extreme; an array emptied or grown). `rootPath` names the root in the description. */
export function mutateJsonNode(rng: Rng, root: JsonNode, rootPath = ''): string {
  const slot = randomSlot(rng, root, rootPath);
  if (slot === undefined) return 'json: empty container, unchanged';
  const old = childAt(slot);
  const op = int(rng, 10);
  if (op <= 3) {
    const value = strangeValue(rng, old);
    setChild(slot, value);
    return `json: ${slot.path} = ${fromNode(value).slice(0, 60)}`;
  }
  if (op === 4 || op === 5) {
    if (slot.parent.kind === 'array') slot.parent.items.splice(slot.index, 1);
    else slot.parent.entries.splice(slot.index, 1);
    return `json: ${slot.path} deleted`;
  }
  if (op === 6 && slot.parent.kind === 'object') {
    const key = (slot.parent.entries[slot.index] as [string, JsonNode])[0];
    const value = strangeValue(rng, old);
    slot.parent.entries.splice(chance(rng, 0.5) ? slot.index + 1 : slot.index, 0, [key, value]);
    return `json: ${slot.path} duplicated as ${fromNode(value).slice(0, 60)}`;
  }
  if (op === 7 && slot.parent.kind === 'object') {
    const key = pick(rng, ['unknownKey', '__proto__', '', 'x'.repeat(5000), 'a\x1bb']);
    slot.parent.entries.push([key, strangeValue(rng, old)]);
    return `json: key ${JSON.stringify(key.slice(0, 20))} added beside ${slot.path}`;
  }
  if (old.kind === 'array') {
    if (chance(rng, 0.4)) {
      old.items.length = int(rng, old.items.length);
      return `json: ${slot.path} cut to ${old.items.length} items`;
    }
    const times = pick(rng, [2, 10, 100]);
    old.items = Array.from({ length: times }, () => old.items).flat();
    return `json: ${slot.path} repeated ${times}x`;
  }
  if (old.kind === 'object') {
    old.entries = chance(rng, 0.5) ? [] : [...old.entries].reverse();
    return `json: ${slot.path} ${old.entries.length === 0 ? 'emptied' : 'keys reversed'}`;
  }
  const value = strangeValue(rng, old);
  setChild(slot, value);
  return `json: ${slot.path} = ${fromNode(value).slice(0, 60)}`;
}

/**
 * One mutation of a JSON file: mostly on its tree (at `subPath`, a list of keys from the root,
 * when given: e.g. ['meta', 'frontEnd']), sometimes on its text or bytes.
 */
export function mutateJson(rng: Rng, bytes: Buffer, subPath: readonly string[] = []): Mutated<Buffer> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    parsed = undefined;
  }
  // With a sub-path the mutation stays inside it (the whole file's text is another format's job).
  const roll = subPath.length > 0 ? 0 : nextUniform(rng);
  if (parsed === undefined || roll >= 0.85) {
    return roll < 0.93 ? asText(rng, bytes) : mutateBytes(rng, bytes);
  }
  try {
    const root = toNode(parsed);
    let target: JsonNode = root;
    for (const key of subPath) {
      const entry = target.kind === 'object' ? target.entries.find(([k]) => k === key) : undefined;
      if (entry === undefined) break;
      target = entry[1];
    }
    const what = mutateJsonNode(rng, target, subPath.join('.'));
    return { value: Buffer.from(fromNode(root), 'utf8'), what };
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    // Nested too deep for the tree's recursion, there or back (an earlier mutation's [[[[...]]]]): edit the text.
    return asText(rng, bytes);
  }
}

/** A text mutation of a file's bytes read as UTF-8. */
export function asText(rng: Rng, bytes: Buffer): Mutated<Buffer> {
  const { value, what } = mutateText(rng, bytes.toString('utf8'));
  return { value: Buffer.from(value, 'utf8'), what };
}

// ---------------------------------------------------------------------------------------------
// WAV headers

/** Where the fields of a RIFF WAVE file's header are. */
interface WavLayout {
  readonly fmt?: number;
  readonly data?: number;
}

function wavLayout(bytes: Buffer): WavLayout {
  let fmt: number | undefined;
  let data: number | undefined;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = bytes.toString('latin1', at, at + 4);
    const size = bytes.readUInt32LE(at + 4);
    if (id === 'fmt ') fmt = at;
    if (id === 'data') data = at;
    at += 8 + size + (size & 1);
  }
  return { fmt, data };
}

const WAV_VALUES = [0, 1, 2, 3, 7, 8, 16, 24, 32, 64, 999, 1000, 8000, 44_100, 1_000_000, 1_000_001, 0x7fff, 0xfffe, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff];

/** One WAV header mutation: a field of RIFF, fmt or data set to an edge value, or chunks moved, doubled or added. */
export function mutateWav(rng: Rng, bytes: Buffer): Mutated<Buffer> {
  const { fmt, data } = wavLayout(bytes);
  const fields: [string, number, 2 | 4][] = [['RIFF size', 4, 4]];
  if (fmt !== undefined) {
    fields.push(['fmt size', fmt + 4, 4], ['format tag', fmt + 8, 2], ['channels', fmt + 10, 2], ['sample rate', fmt + 12, 4], ['byte rate', fmt + 16, 4], ['block align', fmt + 20, 2], ['bits per sample', fmt + 22, 2]);
  }
  if (data !== undefined) fields.push(['data size', data + 4, 4]);
  const op = int(rng, 5);
  if (op <= 2) {
    const [name, at, width] = pick(rng, fields);
    const value = pick(rng, WAV_VALUES);
    const out = Buffer.from(bytes);
    if (at + width > out.length) return { value: out, what: `wav: ${name} beyond the end` };
    if (width === 2) out.writeUInt16LE(value & 0xffff, at);
    else out.writeUInt32LE(value >>> 0, at);
    return { value: out, what: `wav: ${name} = ${width === 2 ? value & 0xffff : value >>> 0}` };
  }
  if (op === 3 && fmt !== undefined) {
    // The fmt chunk doubled with a changed rate, or moved after the data.
    const size = bytes.readUInt32LE(fmt + 4);
    const chunk = Buffer.from(bytes.subarray(fmt, fmt + 8 + size));
    if (chunk.length >= 16) chunk.writeUInt32LE(pick(rng, WAV_VALUES) >>> 0, 12);
    if (chance(rng, 0.5)) return { value: Buffer.concat([bytes, chunk]), what: 'wav: a second fmt chunk after the data' };
    return { value: Buffer.concat([bytes.subarray(0, 12), bytes.subarray(fmt + 8 + size), bytes.subarray(fmt, fmt + 8 + size)]), what: 'wav: fmt chunk moved to the end' };
  }
  // An unknown chunk before the data, of an honest or a lying size.
  const size = pick(rng, [0, 1, 3, 100, 0xffffffff, 0x7ffffff0]);
  const body = Buffer.alloc(Math.min(size, 100));
  const chunk = Buffer.concat([Buffer.from('LIST', 'latin1'), Buffer.alloc(4), body]);
  chunk.writeUInt32LE(size >>> 0, 4);
  const at = data ?? 12;
  return { value: Buffer.concat([bytes.subarray(0, at), chunk, bytes.subarray(at)]), what: `wav: chunk of size ${size} before the data` };
}

// ---------------------------------------------------------------------------------------------
// MIT annotation files (.atr): 16-bit little-endian words, 6-bit code and 10-bit value

/** One annotation-word mutation: a word set to a random code (beats, SKIP, NUM, SUB, CHN, AUX, the end) with an edge value. */
export function mutateAnnotationWords(rng: Rng, bytes: Buffer): Mutated<Buffer> {
  const out = Buffer.from(bytes);
  if (out.length < 2) return { value: out, what: 'atr: too short' };
  const words = out.length >> 1;
  const count = 1 + int(rng, 3);
  const notes: string[] = [];
  for (let i = 0; i < count; i++) {
    const at = int(rng, words) * 2;
    const code = pick(rng, [0, 1, 5, 28, 36, 41, 49, 59, 60, 61, 62, 63, int(rng, 64)]);
    const value = pick(rng, [0, 1, 1023, 512, int(rng, 1024)]);
    out.writeUInt16LE(((code << 10) | value) & 0xffff, at);
    notes.push(`${code}/${value}@${at}`);
  }
  return { value: out, what: `atr: words ${notes.join(' ')}` };
}

// ---------------------------------------------------------------------------------------------
// WFDB headers: fields of the record line and the signal lines

/** Tokens a WFDB header field might hold: formats, rates with counter frequencies, gains with units, paths. */
const WFDB_TOKENS: readonly string[] = [
  '212', '16', '61', '80', '8', '310', '311', '24', '32', '0', '212+1', '212+99999999', '16+3', '212x4', '212:100',
  '360/0', '360/1e300', '360/360', '360(0)', '0(0)/mV', '200(1024)/', '200(1024)/V', '200(1024)/uV', '1e300(1024)/mV',
  'NaN(1024)/mV', '200(NaN)/mV', '200()/mV', '-200(1024)/mV', '200(1024)/mV(x)', 'ecgsyn_360hz/2', '~', '-', '../ecgsyn_360hz.dat',
  '/dev/null', 'ecgsyn_360hz.dat', '2', '999', '256', '257', '1', '1e9',
];

/** One header-field mutation: a whitespace-separated field of the record line or a signal line replaced. */
export function mutateWfdbHeader(rng: Rng, text: string): Mutated<string> {
  const lines = text.split('\n');
  const fieldLines = lines.map((l, i) => [l, i] as const).filter(([l]) => l.trim() !== '' && !l.startsWith('#'));
  if (fieldLines.length === 0) return mutateText(rng, text);
  const [line, index] = pick(rng, fieldLines.slice(0, 3));
  const fields = line.split(/\s+/);
  const at = int(rng, fields.length + 1);
  const value = pick(rng, chance(rng, 0.6) ? WFDB_TOKENS : EXTREME_NUMBERS);
  if (at === fields.length) fields.push(value);
  else fields[at] = value;
  lines[index] = fields.join(' ');
  return { value: lines.join('\n'), what: `hea: line ${index + 1} field ${at} -> ${value}` };
}
