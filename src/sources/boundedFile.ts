/**
 * A small file read whole (a network, a model, a device profile), with a cap on its size: read
 * through one descriptor in blocks, so a file over the cap, or one that never ends (a
 * `model.json` that is a link to /dev/zero or a pipe), is refused at the cap instead of filling
 * memory. A regular file is measured before anything is read.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { FormatError } from '../core/errors.ts';
import { checkLimit, describeBytes, type Limit } from '../core/limits.ts';
import { READ_BLOCK_BYTES } from './openedRecord.ts';

/**
 * The bytes of `path`, at most `limit.max` of them.
 * @param field how the message names the size, e.g. "the network file's size"
 * @throws FormatError `<path>: <field> N bytes is over the limit of 16 MiB` (or, for a file
 *   that is not a regular file, `<path>: <field> is over the limit of 16 MiB (it went on past
 *   N bytes)`); the file system's own errors (ENOENT, EISDIR, EACCES) as they are
 * @example readBoundedFileSync('x.json', LIMITS.jsonFileBytes, "the network file's size") → <Buffer 7b 22 ...>
 * Cost: O(file size) memory, blocks of 64 KiB and their copy.
 */
export function readBoundedFileSync(path: string, limit: Limit, field: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const info = fstatSync(fd);
    if (info.isFile()) checkLimit(path, field, info.size, limit, FormatError);
    const blocks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const block = Buffer.allocUnsafe(READ_BLOCK_BYTES);
      const read = readSync(fd, block, 0, block.length, null);
      if (read === 0) break;
      total += read;
      if (total > limit.max) {
        throw new FormatError(`${path}: ${field} is over the limit of ${describeBytes(limit.max)} (it went on past ${total} bytes)`);
      }
      blocks.push(block.subarray(0, read));
    }
    return Buffer.concat(blocks, total);
  } finally {
    closeSync(fd);
  }
}
