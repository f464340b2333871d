import crypto from 'node:crypto';
import net from 'node:net';

/**
 * One Redis command over a fresh connection, answered with the reply's first line: enough for the
 * few administrative commands the fleet needs (the root package has no Redis client of its own,
 * and the services take no key prefix, so the fleet isolates itself by database number instead).
 */
async function command(url: URL, db: number, ...args: string[]): Promise<string> {
  const encode = (parts: string[]) =>
    `*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join('')}`;
  const auth = url.password ? encode(url.username ? ['AUTH', url.username, url.password] : ['AUTH', url.password]) : '';
  const expected = (auth ? 1 : 0) + 2;
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port || 6379), url.hostname);
    socket.setTimeout(3_000, () => socket.destroy(new Error(`Redis at ${url.host} did not answer`)));
    let buffer = '';
    socket.on('data', (d) => {
      buffer += d.toString();
      const lines = buffer.split('\r\n');
      // Each reply used here is one line, except a bulk string: its header, then the value.
      const replies: string[] = [];
      for (let i = 0; i < lines.length - 1; i++) {
        const line = lines[i]!;
        if (line.startsWith('$') && line !== '$-1') {
          if (i + 1 >= lines.length - 1) break;
          replies.push(lines[i + 1]!);
          i++;
        } else replies.push(line);
      }
      if (replies.length >= expected) {
        socket.end();
        const failed = replies.find((r) => r.startsWith('-'));
        if (failed) reject(new Error(`Redis: ${failed.slice(1)}`));
        else resolve(replies[expected - 1]!);
      }
    });
    socket.on('error', reject);
    socket.write(auth + encode(['SELECT', String(db)]) + encode(args));
  });
}

export interface RedisDatabase {
  /** REDIS_URL for the services: the server's URL with this database number. */
  url: string;
  db: number;
  /** Deletes every key of the database (the services' and the claim). */
  release(): Promise<void>;
}

const OWNER_KEY = 'catalyst-fleet:owner';

/**
 * Claims an empty Redis database (15 down to 1; 0 is the test suite's, isolated by key prefix)
 * with an owner key set only if absent, so two fleets on one machine never share one. The claim
 * expires after `ttlSeconds` in case the claimer is killed before `release()`.
 */
export async function claimRedisDatabase(serverUrl: string, ttlSeconds = 3_600): Promise<RedisDatabase> {
  const url = new URL(serverUrl);
  const owner = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  for (let db = 15; db >= 1; db--) {
    const claimed = await command(url, db, 'SET', OWNER_KEY, owner, 'NX', 'EX', String(ttlSeconds));
    if (claimed !== '+OK') continue;
    // Keys beside the claim belong to something else that uses this database: leave it alone.
    if ((await command(url, db, 'DBSIZE')) !== ':1') {
      await command(url, db, 'DEL', OWNER_KEY);
      continue;
    }
    const withDb = new URL(serverUrl);
    withDb.pathname = `/${db}`;
    return {
      url: withDb.toString(),
      db,
      async release() {
        await command(url, db, 'FLUSHDB');
      },
    };
  }
  throw new Error(`no free Redis database on ${url.host} (databases 1 to 15 are all in use)`);
}
