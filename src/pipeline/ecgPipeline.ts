/**
 * The ECG pipeline as one RxJS operator: samples in, beat and heart-rate frames out.
 *
 *   samples ─► resample to the network's rate ─► QRS band-pass ─► delta modulator (UP/DOWN)
 *           ─► fixed-point LIF network ─► beat-neuron spikes ─► beats ─► heart rate
 *
 * The same operator serves a replayed file, a live device and the tests.
 */
import { pipe, type OperatorFunction } from 'rxjs';
import type { SampleChunk } from '../core/chunks.ts';
import type { EcgFrame } from '../detect/events.ts';
import { deltaModulate } from '../operators/deltaModulate.ts';
import { detectBeats } from '../operators/detectBeats.ts';
import { heartRate } from '../operators/heartRate.ts';
import { lifNetwork } from '../operators/lifNetwork.ts';
import { qrsBandpass } from '../operators/qrsBandpass.ts';
import { resample } from '../operators/resample.ts';
import { beatDetectorOptions, type EcgModel } from './ecgModel.ts';

/**
 * @param model the ECG model (network and front end)
 * @param sampleRateHz the source's sample rate, Hz: beats are reported in its samples
 * @example recordSource(record).pipe(ecgPipeline(loadEcgModel(), 360)).subscribe(...)
 */
export function ecgPipeline(model: EcgModel, sampleRateHz: number): OperatorFunction<SampleChunk, EcgFrame> {
  return pipe(
    resample(model.tickRateHz),
    qrsBandpass(model.bandpass),
    deltaModulate(model.deltaModulator),
    lifNetwork(model.network),
    detectBeats(beatDetectorOptions(model, sampleRateHz)),
    heartRate({ sampleRateHz }),
  );
}
