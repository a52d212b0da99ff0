import { describe, expect, it } from 'vitest';
import { FormatError } from '../../../src/core/errors.ts';
import { encodeEdfTals, parseEdfTals } from '../../../src/formats/edf/annotations.ts';
import { messageOf } from '../../helpers/errors.ts';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('parseEdfTals', () => {
  it('the EDF+ spec example: time-keeping TAL, then annotations with and without duration, then padding', () => {
    const record = bytes('+180\x14\x14\x00+180\x14Lights off\x14Close door\x14\x00+1800.2\x1525.5\x14Apnea\x14\x00\x00\x00\x00');
    expect(parseEdfTals(record, 'x.edf data record 1')).toEqual({
      recordStartSeconds: 180,
      annotations: [
        { onsetSeconds: 180, durationSeconds: undefined, text: 'Lights off' },
        { onsetSeconds: 180, durationSeconds: undefined, text: 'Close door' },
        { onsetSeconds: 1800.2, durationSeconds: 25.5, text: 'Apnea' },
      ],
    });
  });

  it('negative onsets, UTF-8 text, a time-keeping TAL with an annotation of its own', () => {
    expect(parseEdfTals(bytes('-0.5\x14\x14Start µ\x14\x00'), 'x').annotations).toEqual([{ onsetSeconds: -0.5, durationSeconds: undefined, text: 'Start µ' }]);
  });

  it('an empty record (all padding) holds nothing', () => {
    expect(parseEdfTals(new Uint8Array(8), 'x')).toEqual({ recordStartSeconds: undefined, annotations: [] });
  });

  it('looks at the bytes given only (bounded): a TAL cut by the end is refused', () => {
    expect(messageOf(() => parseEdfTals(bytes('+0\x14\x14\x00+1\x14N\x14'), 'x.edf data record 2'), FormatError)).toBe(
      'x.edf data record 2: a TAL at byte 5 is not ended by \\x00 before the record\'s annotation bytes end',
    );
  });

  it.each([
    ['0\x14\x14\x00', 'x: the TAL at byte 0 has onset "0"; it must be +seconds or -seconds (optionally \\x15duration)'],
    ['+1\x151\x152\x14N\x14\x00', 'x: the TAL at byte 0 has onset "+1\\x151\\x152"; it must be +seconds or -seconds (optionally \\x15duration)'],
    ['+1\x15-1\x14N\x14\x00', 'x: the TAL at byte 0 has duration "-1"; it must be a number of seconds >= 0'],
    ['+1\x14N\x00', 'x: the TAL at byte 0 does not end with \\x14 before its \\x00'],
  ])('refuses %j', (text, message) => {
    expect(messageOf(() => parseEdfTals(bytes(text), 'x'), FormatError)).toBe(message);
  });

  it('encodeEdfTals writes what parseEdfTals reads', () => {
    const encoded = encodeEdfTals(2, [{ onsetSeconds: 2.25, text: 'N' }, { onsetSeconds: 2.5, durationSeconds: 0.1, text: 'V' }]);
    expect(new TextDecoder().decode(encoded)).toBe('+2\x14\x14\x00+2.25\x14N\x14\x00+2.5\x150.1\x14V\x14\x00');
    expect(parseEdfTals(encoded, 'x')).toEqual({
      recordStartSeconds: 2,
      annotations: [{ onsetSeconds: 2.25, durationSeconds: undefined, text: 'N' }, { onsetSeconds: 2.5, durationSeconds: 0.1, text: 'V' }],
    });
  });
});
