/**
 * Rewrite tests/golden/ecg-beat-fixture.json from the bundled ECG model and fixture. Run only
 * when the model is changed on purpose (a re-tuned network, a new encoder), and commit the
 * result with that change: the golden test compares against this file and never writes it.
 *
 *   npm run golden:update
 */
import { writeFileSync } from 'node:fs';
import { loadEcgModel, SINGLE_BAND_ECG_MODEL_PATH } from '../src/pipeline/ecgModel.ts';
import { GOLDEN_PATH, goldenOf } from '../tests/helpers/golden.ts';
import { FIXTURE_RECORD, readRecord } from '../tests/helpers/fixture.ts';

const { samples } = await readRecord(FIXTURE_RECORD);
const golden = goldenOf(loadEcgModel(SINGLE_BAND_ECG_MODEL_PATH), samples);
writeFileSync(GOLDEN_PATH, JSON.stringify(golden, null, 1) + '\n');
process.stdout.write(`wrote ${GOLDEN_PATH}: ${golden.beatSpikeTicks.length} beat spikes, ${golden.inputSpikes} input spikes\n`);
