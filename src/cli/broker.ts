/**
 * `edgespike broker`: an MQTT broker on this machine for trying `--mqtt` and `watch`.
 */
import { untilSignal } from '../app/untilStopped.ts';
import { UsageError } from '../core/errors.ts';
import { parseNonNegativeInt } from './args.ts';
import { defineCommand, NO_POSITIONALS, stringFlags } from './command.ts';

export const BROKER_HELP_TEXT = `Usage: edgespike broker [--host H] [--port N]

An MQTT broker (aedes, in memory: retained messages and sessions are lost when it stops) for
trying a fleet on one machine:
  edgespike broker &
  edgespike replay fixtures/synthetic-ecg/ecgsyn_360hz --mqtt mqtt://127.0.0.1:1883 &
  edgespike watch --mqtt mqtt://127.0.0.1:1883
Anything that must keep running belongs on Mosquitto or another broker (see the README).
Runs until Ctrl-C or SIGTERM.

Options:
  --host H     address to listen on (0.0.0.0: every address, without a password). Default: 127.0.0.1
  --port N     port (0: any free port, printed). Default: 1883
  -h, --help   show this help
`;

// Not `export default defineCommand(...)`: TypeScript 5.9 does not rewrite the `.ts` of a dynamic
// import inside an `export default` expression when it builds dist/ (scripts/check-dist.js).
const command = defineCommand({
  name: 'broker',
  help: BROKER_HELP_TEXT,
  options: stringFlags('host', 'port'),
  positionals: NO_POSITIONALS,
  run: async ({ values }) => {
    const port = values.port === undefined ? 1883 : parseNonNegativeInt('port', values.port);
    if (port > 65535) throw new UsageError(`--port must be a port number 0..65535 (got "${values.port}")`);
    const host = values.host ?? '127.0.0.1';
    const { startBroker } = await import('../app/broker.ts');
    const broker = await startBroker({ host, port });
    const everywhere = host === '0.0.0.0' || host === '::' || host === '0';
    process.stderr.write(`edgespike: MQTT broker at ${broker.url}${everywhere ? ' (on every address of this machine, without a password)' : ''}; Ctrl-C stops it\n`);
    await untilSignal();
    await broker.close();
    return 0;
  },
});

export default command;
