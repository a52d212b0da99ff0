/**
 * Plain HTTP and ports for tests of the servers edgespike runs (the live view, brokers).
 */
import { get } from 'node:http';
import { createServer } from 'node:net';

/** GET `url` with `headers`: status, content type and body. */
export function fetchText(url: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      res.setEncoding('utf8');
      let body = '';
      res.on('data', (t: string) => (body += t));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', body }));
    }).on('error', reject);
  });
}

/** A TCP port of 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
