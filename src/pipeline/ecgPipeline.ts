/**
 * The ECG pipeline as one RxJS operator: samples in, beat and heart-rate frames out.
 *
 *   samples ─► resample to the network's rate ─► QRS band-pass ─► level-adaptive delta
 *           modulator (UP/DOWN) ─► fixed-point LIF network ─► beat-neuron spikes ─► beats
 *           ─► heart rate ─► rhythm (af / not-af) ─► HRV over sliding windows; signal quality
 *           (good, noisy, flat) from the encoder's spikes
 *
 * The stages from the band-pass to the beat detector run as one operator (`ecgChain`) on reused
 * buffers. The same operator serves a replayed file, a live device and the tests.
 */
import { identity, pipe, type OperatorFunction } from 'rxjs';
import type { SampleChunk } from '../core/chunks.ts';
import type { EcgFrame } from '../core/events.ts';
import { afRhythm } from '../operators/afRhythm.ts';
import { ecgChain } from '../operators/ecgChain.ts';
import { heartRate } from '../operators/heartRate.ts';
import { hrv } from '../operators/hrv.ts';
import { resample } from '../operators/resample.ts';
import { beatDetectorOptions, type EcgModel } from './ecgModel.ts';

/** Length of a live-view raster bin, seconds (rounded to whole ticks: 4 ticks, 11 ms, at 360 Hz). */
export const RASTER_BIN_SECONDS = 0.01;

export interface EcgPipelineOptions {
  /**
   * Also put on every frame the spikes of UP, DOWN and every neuron per `RASTER_BIN_SECONDS` bin
   * (`EcgFrame.raster`, for the live view). Beats, heart rates and counts are the same either way.
   * @default false
   */
  readonly raster?: boolean;
  /**
   * HRV over sliding windows (`hrv` events, see `detect/hrvWindows.ts`): window and step,
   * seconds; false for none.
   * @default { windowSeconds: 300, stepSeconds: 60 }
   */
  readonly hrv?: HrvChoice;
}

/** The HRV windows of a pipeline, or false for none. */
export type HrvChoice = { readonly windowSeconds: number; readonly stepSeconds: number } | false;

/** Ticks per raster bin at a tick rate: `RASTER_BIN_SECONDS` rounded, at least 1. */
export function rasterBinTicks(tickRateHz: number): number {
  return Math.max(1, Math.round(tickRateHz * RASTER_BIN_SECONDS));
}

/**
 * @param model the ECG model (network and front end)
 * @param sampleRateHz the source's sample rate, Hz: beats are reported in its samples
 * @param options `raster` for the live view, `hrv` windows
 * @example recordSource(record).pipe(ecgPipeline(loadEcgModel(), 360)).subscribe(...)
 */
export function ecgPipeline(model: EcgModel, sampleRateHz: number, options: EcgPipelineOptions = {}): OperatorFunction<SampleChunk, EcgFrame> {
  return pipe(
    resample(model.tickRateHz),
    // Band-pass, encoder, network, signal quality and beat detector: one step per chunk on reused buffers.
    ecgChain(
      { bandpass: model.bandpass, encoder: model.encoder, network: model.network, quality: model.quality, beats: beatDetectorOptions(model, sampleRateHz), ...(model.noiseSwitch === undefined ? {} : { noiseSwitch: model.noiseSwitch }) },
      options.raster === true ? rasterBinTicks(model.tickRateHz) : undefined,
    ),
    heartRate({ sampleRateHz }),
    afRhythm({ sampleRateHz }),
    options.hrv === false ? identity : hrv({ sampleRateHz, ...options.hrv }),
  );
}
