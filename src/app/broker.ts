/**
 * `edgespike broker`: a small MQTT broker (aedes, in memory) for trying a fleet on one machine.
 * For anything that must survive a restart or serve many devices, use Mosquitto (see README).
 */
import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import { EdgespikeError } from '../core/errors.ts';

export interface BrokerOptions {
  readonly host: string;
  /** 0: any free port. */
  readonly port: number;
}

export interface RunningBroker {
  /** mqtt://host:port as clients reach it. */
  readonly url: string;
  close(): Promise<void>;
}

/** Start listening. @throws EdgespikeError (one line) when the port is taken or the address is not this machine's */
export async function startBroker(options: BrokerOptions): Promise<RunningBroker> {
  const aedes = await Aedes.createBroker();
  const server: Server = createServer((socket) => aedes.handle(socket));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'is in use (another broker? try --port)' : error.code === 'EADDRNOTAVAIL' ? 'is not an address of this machine' : error.message;
      reject(new EdgespikeError(`cannot listen on ${options.host}:${options.port}: ${why}`));
    });
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `mqtt://${host}:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
