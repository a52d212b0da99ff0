/**
 * `edgespike watch --mqtt URL`: every device publishing to a broker, one row each, live. The
 * work is `app/watch.ts`.
 */
import { parseOutputFormat } from './args.ts';
import { defineCommand, NO_POSITIONALS, stringFlags } from './command.ts';
import { BROKER_FLAGS, BROKER_HELP, parseBrokerFlags } from './mqttOption.ts';
import { parseViewFlags, VIEW_FLAGS, VIEW_HELP } from './viewOption.ts';

export const WATCH_HELP = `Usage: edgespike watch --mqtt URL [options]

Watch a fleet: every device that publishes to the broker with replay/run --mqtt (under the
same --mqtt-prefix), one row each: status (online, connected, reconnecting, leads-off,
offline, ...), heart rate, signal quality, beats received, the last words heard, and the
time since its last message. On a terminal the table is redrawn in place; otherwise (or with
--format jsonl) every received event is printed as
  {"deviceId":"pi-ttyACM0","event":{"type":"beat","t":..,"sample":..}}
("retained":true marks a status the broker kept from before), and on exit
  {"type":"watch","devices":N,"messages":N,"ignored":N}
Runs until Ctrl-C or SIGTERM; a broker that is down or restarts is retried every second.

Options:
  --mqtt URL           the broker: mqtt://host[:port], mqtts://, ws://, wss://
${BROKER_HELP}
  --format jsonl|text  Default: text on a terminal, jsonl otherwise
${VIEW_HELP}
  -h, --help           show this help

Examples:
  edgespike watch --mqtt mqtt://127.0.0.1:1883
  edgespike watch --mqtt mqtts://broker.example:8883 --mqtt-ca ca.pem --view
`;

// Not `export default defineCommand(...)`: TypeScript 5.9 does not rewrite the `.ts` of a dynamic
// import inside an `export default` expression when it builds dist/ (scripts/check-dist.js).
const command = defineCommand({
  name: 'watch',
  help: WATCH_HELP,
  options: { ...BROKER_FLAGS, ...stringFlags('format'), ...VIEW_FLAGS },
  positionals: NO_POSITIONALS,
  run: async ({ values }) => {
    const broker = parseBrokerFlags(values);
    const { runWatch } = await import('../app/watch.ts');
    return runWatch({ broker, prefix: broker.prefix, format: parseOutputFormat(values.format), view: parseViewFlags(values) });
  },
});

export default command;
