/** The errors edgespike raises on purpose, caught for their messages. */
import { FormatError, type EdgespikeError } from '../../src/core/errors.ts';

/**
 * The message of the error `fn` throws, which must be a `kind` (any other error is thrown on).
 * @param kind the class the error must have @default FormatError
 * @throws when `fn` throws nothing
 */
export function messageOf(fn: () => unknown, kind: new (message: string) => EdgespikeError = FormatError): string {
  try {
    fn();
  } catch (error: unknown) {
    if (error instanceof kind) return error.message;
    throw error;
  }
  throw new Error(`expected a ${kind.name}, nothing was thrown`);
}
