import {
  compareStreamIds,
  parseStreamId,
  type BusEvent,
  type CacheBus,
  type Logger,
  type Subscription,
} from '@catalyst/shared';

/** The bus topics the pages see live. */
export const LIVE_TOPICS = ['news', 'signals', 'trading', 'coordination', 'scanner'] as const;
/** Most events replayed per topic after a reconnect. */
const REPLAY_LIMIT = 500;

export interface LiveClient {
  sessionId: string;
  send(event: BusEvent): void;
  end(reason: string): void;
}

/**
 * One plain (group-less) subscription per topic for the whole process, fanned out in memory to
 * every open page: every page gets every event, and a hundred open tabs cost no more Redis
 * connections than one.
 */
export function createEventHub(bus: CacheBus, log: Logger) {
  const clients = new Set<LiveClient>();
  const subscriptions: Subscription[] = [];
  let started: Promise<void> | undefined;

  const start = () =>
    (started ??= (async () => {
      for (const topic of LIVE_TOPICS) {
        subscriptions.push(
          await bus.subscribe(topic, (event) => {
            for (const client of clients) client.send(event);
          }),
        );
      }
    })());

  return {
    start,
    /** Adds a page; live events start at once (the caller replays before flushing, see openStream). */
    async add(client: LiveClient): Promise<() => void> {
      await start();
      clients.add(client);
      return () => clients.delete(client);
    },
    /** Everything after `lastEventId` on every live topic, in id order. */
    async replay(lastEventId: string): Promise<BusEvent[]> {
      if (!parseStreamId(lastEventId)) return [];
      const perTopic = await Promise.all(
        LIVE_TOPICS.map((topic) =>
          bus.readSince(topic, lastEventId, REPLAY_LIMIT).catch((err: unknown) => {
            log.warn({ err, topic }, 'replay failed');
            return [] as BusEvent[];
          }),
        ),
      );
      return perTopic.flat().sort((a, b) => compareStreamIds(parseStreamId(a.id)!, parseStreamId(b.id)!));
    },
    endSession(sessionId: string): void {
      for (const client of [...clients]) if (client.sessionId === sessionId) client.end('session.ended');
    },
    size: () => clients.size,
    async close(): Promise<void> {
      for (const client of [...clients]) client.end('shutdown');
      await Promise.all(subscriptions.splice(0).map((s) => s.close()));
    },
  };
}

export type EventHub = ReturnType<typeof createEventHub>;
