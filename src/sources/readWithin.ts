/**
 * Files read whole (a network, a profile, annotations), refused before reading when they are
 * larger than their limit in `core/limits.ts`: a mistaken path to a recording of gigabytes is one
 * line, not the process's memory.
 */
import { readFileSync, statSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { FormatError } from '../core/errors.ts';
import { checkLimit, type Limit } from '../core/limits.ts';

/** The file's text, when it is a file within `limit`; `what` names it in the refusal ("network file"). @throws the fs error when it cannot be read */
export function readTextWithinSync(path: string, limit: Limit, what: string): string {
  const info = statSync(path);
  if (info.isFile()) checkLimit(path, `the ${what}'s size`, info.size, limit, FormatError);
  return readFileSync(path, 'utf8');
}

/** The file's bytes, when it is a file within `limit`. @throws the fs error when it cannot be read */
export async function readBytesWithin(path: string, limit: Limit, what: string): Promise<Buffer> {
  const info = await stat(path);
  if (info.isFile()) checkLimit(path, `the ${what}'s size`, info.size, limit, FormatError);
  return readFile(path);
}
