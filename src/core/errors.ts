/**
 * Error classes a caller can branch on. The CLI prints `error.message` as one line and exits
 * non-zero; messages name the offending field or file and, where there is one, the fix.
 */

/** Base class of every error edgespike raises on purpose (never a bug). */
export class EdgespikeError extends Error {
  override name = 'EdgespikeError';
}

/** A file or stream does not follow its format (bad header, truncated data, bad checksum). */
export class FormatError extends EdgespikeError {
  override name = 'FormatError';
}

/** An option, a network file field or a parameter is out of range or of the wrong type. */
export class ValidationError extends EdgespikeError {
  override name = 'ValidationError';
}

/** A file that was named does not exist or cannot be read. */
export class InputNotFoundError extends EdgespikeError {
  override name = 'InputNotFoundError';
}

/** The command line is wrong (unknown command or flag, missing argument). */
export class UsageError extends EdgespikeError {
  override name = 'UsageError';
}

/**
 * Run `body`; a ValidationError it throws comes out with `source` in front of its message
 * (other errors pass unchanged), so an error names the file or clip it is about.
 * @example prefixValidationErrors('x.json', () => parseNetwork(json)) → throws "x.json: network version must be ..."
 */
export function prefixValidationErrors<T>(source: string, body: () => T): T {
  try {
    return body();
  } catch (error) {
    if (error instanceof ValidationError) throw new ValidationError(`${source}: ${error.message}`);
    throw error;
  }
}
