/**
 * Text from outside (a file's bytes inside an error message, a file name) made safe for one
 * line of a terminal: line breaks, tabs and every other control character are written as
 * escapes (`\n`, `\t`, `\x1b`, `\u009b`), so a message is always one line and cannot move the
 * cursor, change colours or retitle the window; and it is cut to a length a person reads.
 */

/** The longest error message printed, characters (the rest is counted, not shown). */
export const MAX_MESSAGE_CHARS = 600;

const ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * `text` as one printable line of at most `maxChars` characters (plus the count of the cut ones).
 * @example printableLine('bad \x1b[31mred\x1b[0m\nnext') → 'bad \\x1b[31mred\\x1b[0m\\nnext'
 * @example printableLine('x'.repeat(10), 4) → 'xxxx… (6 more characters)'
 */
export function printableLine(text: string, maxChars: number = MAX_MESSAGE_CHARS): string {
  // C0 controls, DEL, C1 controls, and the Unicode line and paragraph separators.
  // eslint-disable-next-line no-control-regex
  const escaped = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const known = ESCAPES[c];
    if (known !== undefined) return known;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  if (escaped.length <= maxChars) return escaped;
  return `${escaped.slice(0, maxChars)}… (${escaped.length - maxChars} more characters)`;
}

/**
 * A value quoted inside a message: printable, and cut to `maxChars`.
 * @example quoteValue('abc') → '"abc"'
 */
export function quoteValue(text: string, maxChars = 40): string {
  return `"${printableLine(text, maxChars)}"`;
}
