/** A network file (`edgespike-network` JSON) read and validated: what every model loader starts from. */
import { FormatError, InputNotFoundError } from '../core/errors.ts';
import { LIMITS } from '../core/limits.ts';
import { parseNetworkText, type NetworkSpec } from '../snn/network.ts';
import { readTextWithinSync } from '../sources/readWithin.ts';

/**
 * Read and validate a network file.
 * @param what how the error for a missing file names it: `cannot read the ${what} file ${path}`
 * @throws InputNotFoundError when the file cannot be read, ValidationError (prefixed with the path) when it is not a valid network
 */
export function readNetworkFile(path: string, what: 'model' | 'network'): NetworkSpec {
  let text: string;
  try {
    text = readTextWithinSync(path, LIMITS.jsonFileBytes, `${what} file`);
  } catch (error) {
    if (error instanceof FormatError) throw error;
    throw new InputNotFoundError(`cannot read the ${what} file ${path}`);
  }
  return parseNetworkText(text, path);
}
