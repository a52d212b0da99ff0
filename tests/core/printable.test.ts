import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_CHARS, printableLine, quoteValue } from '../../src/core/printable.ts';

describe('printableLine', () => {
  it('escapes line breaks, tabs, terminal escapes and C1 controls, keeps other text', () => {
    expect(printableLine('bad \x1b[31mred\x1b[0m\nnext\r\tend')).toBe('bad \\x1b[31mred\\x1b[0m\\nnext\\r\\tend');
    expect(printableLine('\u009b2J \u2028 \x7f \x00')).toBe('\\x9b2J \\u2028 \\x7f \\x00');
    expect(printableLine('µV, 60 Hz, “quoted”, 心')).toBe('µV, 60 Hz, “quoted”, 心');
  });
  it('cuts a long text and says how much was cut', () => {
    expect(printableLine('x'.repeat(10), 4)).toBe('xxxx… (6 more characters)');
    expect(printableLine('y'.repeat(MAX_MESSAGE_CHARS))).toBe('y'.repeat(MAX_MESSAGE_CHARS));
    expect(printableLine('\n'.repeat(3), 4)).toBe('\\n\\n… (2 more characters)');
  });
  it('quotes a value short', () => {
    expect(quoteValue('abc')).toBe('"abc"');
    expect(quoteValue('2,'.repeat(100), 6)).toBe('"2,2,2,… (194 more characters)"');
  });
});
