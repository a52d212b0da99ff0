/**
 * A small Server-Sent Events client for the live view's tests: it collects the JSON of every
 * `data:` line of `GET <url>events` and can wait for a message.
 */
import { get, type IncomingMessage } from 'node:http';

export type SseMessage = { type: string; [key: string]: unknown };

export interface Client {
  readonly messages: SseMessage[];
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  waitFor(predicate: (m: SseMessage) => boolean): Promise<void>;
  ended: Promise<void>;
  close(): void;
}

/**
 * An SSE client: collects the JSON of every `data:` line.
 * @param headers extra request headers (e.g. another Host)
 */
export function connect(url: string, headers: Record<string, string> = {}): Promise<Client> {
  return new Promise((resolve, reject) => {
    const request = get(`${url}events`, { headers }, (res) => {
      res.setEncoding('utf8');
      const messages: Client['messages'] = [];
      const waiters: { predicate: (m: SseMessage) => boolean; done: () => void }[] = [];
      let carry = '';
      res.on('data', (text: string) => {
        carry += text;
        const blocks = carry.split('\n\n');
        carry = blocks.pop() ?? '';
        for (const block of blocks) {
          for (const line of block.split('\n')) {
            if (!line.startsWith('data: ')) continue;
            const m = JSON.parse(line.slice(6)) as SseMessage;
            messages.push(m);
            for (const w of [...waiters]) {
              if (w.predicate(m)) {
                waiters.splice(waiters.indexOf(w), 1);
                w.done();
              }
            }
          }
        }
      });
      const ended = new Promise<void>((done) => res.on('end', done));
      resolve({
        messages,
        status: res.statusCode ?? 0,
        headers: res.headers,
        ended,
        waitFor: (predicate) =>
          messages.some(predicate) ? Promise.resolve() : new Promise<void>((done) => waiters.push({ predicate, done })),
        close: () => request.destroy(),
      });
    });
    request.on('error', reject);
  });
}

