import net from 'node:net';
import { protocol } from '@electric-sql/pglite';

const { serialize } = protocol;

export interface BackendMessage {
  type: string;
  body: Buffer;
}

/**
 * A PostgreSQL wire-protocol client that sends exactly the messages a test asks for, when it asks:
 * the way to hold a connection in the middle of an extended-query sequence.
 */
export class RawPgClient {
  private buffer = Buffer.alloc(0);
  private messages: BackendMessage[] = [];
  private waiters: Array<() => void> = [];

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      while (this.buffer.length >= 5) {
        const len = this.buffer.readInt32BE(1);
        if (this.buffer.length < 1 + len) break;
        this.messages.push({ type: String.fromCharCode(this.buffer[0]!), body: this.buffer.subarray(5, 1 + len) });
        this.buffer = this.buffer.subarray(1 + len);
      }
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async connect(port: number): Promise<RawPgClient> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const client = new RawPgClient(socket);
    client.send(serialize.startup({ user: 'postgres', database: 'postgres' }));
    await client.readUntil('Z');
    return client;
  }

  send(...messages: Uint8Array[]): void {
    this.socket.write(Buffer.concat(messages.map((m) => Buffer.from(m))));
  }

  /** Messages up to and including the first of `type`. */
  async readUntil(type: string, timeoutMs = 10_000): Promise<BackendMessage[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.messages.findIndex((m) => m.type === type);
      if (i >= 0) return this.messages.splice(0, i + 1);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No '${type}' message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Text of the first column of each DataRow in `messages`. */
  static firstColumns(messages: BackendMessage[]): string[] {
    return messages
      .filter((m) => m.type === 'D')
      .map((m) => {
        const len = m.body.readInt32BE(2);
        return m.body.subarray(6, 6 + len).toString('utf8');
      });
  }

  parse(text: string): Uint8Array {
    return serialize.parse({ text });
  }
  bind(values: string[]): Uint8Array {
    return serialize.bind({ values });
  }
  execute(): Uint8Array {
    return serialize.execute({});
  }
  sync(): Uint8Array {
    return serialize.sync();
  }
  flush(): Uint8Array {
    return serialize.flush();
  }
  query(text: string): Uint8Array {
    return serialize.query(text);
  }

  destroy(): void {
    this.socket.destroy();
  }
}
