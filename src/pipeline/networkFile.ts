/**
 * Network files (`edgespike-network` JSON) and front-end files (`edgespike-frontend` JSON) read
 * and validated: what every model loader and `train --frontend` start from. Both are read whole,
 * up to the JSON size limit (16 MiB).
 */
import { EdgespikeError, InputNotFoundError } from '../core/errors.ts';
import { LIMITS } from '../core/limits.ts';
import { parseFrontEndText, type FrontEndSpec } from '../filterbank/frontEnd.ts';
import { parseNetworkText, type NetworkSpec } from '../snn/network.ts';
import { readBoundedFileSync } from '../sources/boundedFile.ts';

/**
 * The text of a JSON spec file.
 * @throws InputNotFoundError `cannot read the ${what} file ${path}`, FormatError over the size limit
 */
function readSpecText(path: string, what: string): string {
  try {
    return readBoundedFileSync(path, LIMITS.jsonFileBytes, `the ${what} file's size`).toString('utf8');
  } catch (error) {
    if (error instanceof EdgespikeError) throw error;
    throw new InputNotFoundError(`cannot read the ${what} file ${path}`);
  }
}

/**
 * Read and validate a network file.
 * @param what how the error for a missing file names it: `cannot read the ${what} file ${path}`
 * @throws InputNotFoundError when the file cannot be read, FormatError when it is over the JSON size limit
 *   (16 MiB), ValidationError (prefixed with the path) when it is not a valid network
 */
export function readNetworkFile(path: string, what: 'model' | 'network'): NetworkSpec {
  return parseNetworkText(readSpecText(path, what), path);
}

/**
 * Read and validate a front-end file.
 * @throws InputNotFoundError when the file cannot be read, FormatError when it is over the JSON size limit,
 *   ValidationError (prefixed with the path) when it is not a valid front end
 */
export function readFrontEndFile(path: string): FrontEndSpec {
  return parseFrontEndText(readSpecText(path, 'front-end'), path);
}
