/**
 * Which ECG network `run` picks when none is given: the board's, for a board that runs its own
 * detector (so the board's beats and the host's compare like with like), else the default.
 */
import { describe, expect, it } from 'vitest';
import { boardNetworkPath } from '../../src/app/runTask.ts';
import type { InputSpec } from '../../src/app/input.ts';
import { loadDeviceProfile } from '../../src/sources/deviceProfile.ts';
import { SINGLE_BAND_ECG_MODEL_PATH } from '../../src/pipeline/ecgModel.ts';

const device = (name: string): InputSpec => {
  const profile = loadDeviceProfile(name);
  return { kind: 'device', path: '/dev/null', profile, baudRate: profile.baudRate, sampleRateHz: profile.sampleRateHz, channel: 0, queueBytes: 1 << 20, pollMs: 0, openPort: () => { throw new Error('not opened'); } };
};

describe('boardNetworkPath', () => {
  it('runs the single-band network beside the AD8232 beats sketch (the network the board runs)', () => {
    expect(boardNetworkPath(device('sparkfun-ad8232-beats'))).toBe(SINGLE_BAND_ECG_MODEL_PATH);
  });

  it('leaves the default to the task for any other input', () => {
    expect(boardNetworkPath(device('sparkfun-ad8232'))).toBeUndefined();
    expect(boardNetworkPath({ kind: 'path', path: 'fixtures/synthetic-ecg/ecgsyn_360hz', signal: 'ecg', speed: Infinity, channel: undefined })).toBeUndefined();
  });
});
