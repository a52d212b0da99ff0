/** A network file (`edgespike-network` JSON) read and validated: what every model loader starts from. */
import { readFileSync } from 'node:fs';
import { InputNotFoundError } from '../core/errors.ts';
import { parseNetworkText, type NetworkSpec } from '../snn/network.ts';

/**
 * Read and validate a network file.
 * @param what how the error for a missing file names it: `cannot read the ${what} file ${path}`
 * @throws InputNotFoundError when the file cannot be read, ValidationError (prefixed with the path) when it is not a valid network
 */
export function readNetworkFile(path: string, what: 'model' | 'network'): NetworkSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputNotFoundError(`cannot read the ${what} file ${path}`);
  }
  return parseNetworkText(text, path);
}
