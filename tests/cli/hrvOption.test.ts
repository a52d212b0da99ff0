import { describe, expect, it } from 'vitest';
import { parseHrvFlags } from '../../src/cli/hrvOption.ts';
import { UsageError } from '../../src/core/errors.ts';

describe('--hrv-window and --hrv-step', () => {
  it('default to 5-minute windows every 60 s; 0 turns them off', () => {
    expect(parseHrvFlags({}, 'ecg')).toEqual({ windowSeconds: 300, stepSeconds: 60 });
    expect(parseHrvFlags({ 'hrv-window': '120', 'hrv-step': '30' }, 'ecg')).toEqual({ windowSeconds: 120, stepSeconds: 30 });
    expect(parseHrvFlags({ 'hrv-window': '0' }, 'ecg')).toBe(false);
  });

  it('refuse values that make no window, and HRV flags on audio', () => {
    expect(() => parseHrvFlags({ 'hrv-window': '5' }, 'ecg')).toThrow(/--hrv-window must be 0 \(none\) or 10\.\.86400 seconds \(got "5"\)/);
    expect(() => parseHrvFlags({ 'hrv-window': 'x' }, 'ecg')).toThrow(UsageError);
    expect(() => parseHrvFlags({ 'hrv-step': '0' }, 'ecg')).toThrow(/--hrv-step must be 1\.\.86400 seconds/);
    expect(() => parseHrvFlags({ 'hrv-window': '0', 'hrv-step': '30' }, 'ecg')).toThrow(/--hrv-step needs HRV windows/);
    expect(() => parseHrvFlags({ 'hrv-window': '300' }, 'digits')).toThrow(/for ECG/);
  });
});
