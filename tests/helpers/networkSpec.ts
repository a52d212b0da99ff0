/** Networks written out in tests, without the file-format boilerplate. */
import { NETWORK_FORMAT, NETWORK_VERSION, parseNetwork, type NetworkSpec } from '../../src/snn/network.ts';

/**
 * Validate `body` as a network file of the current version: `format` and `version` are filled
 * in (give `version` to pin another).
 * @example networkOf({ inputs: ['in'], neurons: [{ name: 'n', threshold: 10, memShift: 2 }], synapses: [{ from: 'in', to: 'n', weight: 5 }], outputs: ['n'] })
 */
export function networkOf(body: Record<string, unknown>): NetworkSpec {
  return parseNetwork({ format: NETWORK_FORMAT, version: NETWORK_VERSION, ...body });
}
