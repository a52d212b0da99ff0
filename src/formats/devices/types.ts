/**
 * What every device-stream decoder (bytes from a serial port or a recording → samples) shares.
 * Decoders are pure kernels: `createXDecoder(options)` returns state, `decodeX(state, bytes,
 * out, events)` writes samples into a caller-owned array and appends events, and returns the
 * number of frames written. Any slicing of the byte stream gives the same samples and events.
 */

/** Something a decoder noticed in the stream, positioned by frame (sample) index. */
export type DeviceEvent =
  /** The electrodes came off (AD8232 `!` lines); no samples are emitted while off. */
  | { readonly kind: 'leads-off'; readonly frame: number }
  /**
   * The electrodes are back: the first valid sample after leads-off. `missing`: the sample
   * periods the device reported as off in between (one per `!` line), so the caller can keep time.
   */
  | { readonly kind: 'leads-on'; readonly frame: number; readonly missing: number }
  /** Samples the device sent that never arrived (a jump in a sample or sequence counter). */
  | { readonly kind: 'gap'; readonly frame: number; readonly missing: number }
  /** A beat the device's own detector found (AD8232 beats sketch `B <n>`): `sample`, its index in the device's samples. */
  | { readonly kind: 'board-beat'; readonly frame: number; readonly sample: number };

/** Running counts of a decoder, for the summary and for fault reports. */
export interface DecoderStats {
  /** Bytes taken in. */
  bytesIn: number;
  /** Bytes skipped because they were not part of a valid line or frame. */
  bytesDropped: number;
  /** Lines or frames accepted. */
  unitsOk: number;
  /** Lines or frames rejected (bad checksum, bad footer, not a number, too long, ...). */
  unitsBad: number;
  /** Frames (samples per channel) emitted. */
  framesOut: number;
  /** Samples reported missing by counter gaps. */
  framesMissing: number;
}

export function createDecoderStats(): DecoderStats {
  return { bytesIn: 0, bytesDropped: 0, unitsOk: 0, unitsBad: 0, framesOut: 0, framesMissing: 0 };
}
