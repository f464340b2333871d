import { compareStreamIds, parseStreamId, type BusEvent, type Logger, type ServiceApp } from '@catalyst/shared';
import type { SessionGuard } from '../auth/session-guard';
import type { SessionStore } from '../auth/session-store';
import { eventsRoute } from '../dashboard.contract';
import type { EventHub } from './event-hub';

const HEARTBEAT_MS = 15_000;

function frame(event: BusEvent): string {
  // JSON never contains a raw newline, so one `data:` line carries the whole event.
  const data = JSON.stringify({ id: event.id, topic: event.topic, type: event.type, at: event.at, data: event.data });
  const type = /^[a-z][a-z0-9_.-]{0,63}$/.test(event.type) ? event.type : 'message';
  return `id: ${event.id}\nevent: ${type}\ndata: ${data}\n\n`;
}

/**
 * GET /api/events: Server-Sent Events from the bus. Events missed since `Last-Event-ID` are
 * replayed first (live ones arriving meanwhile wait, and any already replayed are skipped); the
 * stream ends with `session.ended` on logout or when the session expires.
 */
export function registerEventsRoute(
  api: ServiceApp,
  deps: { guard: SessionGuard; sessions: SessionStore; hub: EventHub; log: Logger },
): void {
  api.rawRoute(eventsRoute, async (req, res) => {
    const { sessionId, session } = await deps.guard.require(req);
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store, no-transform');
    res.setHeader('Connection', 'keep-alive');
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    req.socket.setNoDelay(true);
    res.write('retry: 2000\n\n');

    let closed = false;
    let replaying = true;
    const waiting: BusEvent[] = [];
    const lastSent = new Map<string, string>();
    const write = (event: BusEvent) => {
      const previous = lastSent.get(event.topic);
      const id = parseStreamId(event.id);
      if (previous && id && compareStreamIds(id, parseStreamId(previous)!) <= 0) return;
      lastSent.set(event.topic, event.id);
      res.write(frame(event));
    };

    let expiryTimer: NodeJS.Timeout | undefined;
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    let remove: () => void = () => undefined;
    const end = (reason: string) => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      clearTimeout(expiryTimer);
      remove();
      if (reason === 'session.ended') res.write('event: session.ended\ndata: {}\n\n');
      res.end();
    };
    req.on('close', () => end('client'));

    // The session slides with the page's other calls; at the expiry we last saw, look again
    // (one timer per expiry, not a polling loop) and end the stream if it is really over.
    const watchExpiry = (expiresAt: string) => {
      expiryTimer = setTimeout(
        () => {
          void deps.sessions.peek(sessionId).then(
            (current) => (current ? watchExpiry(current.expiresAt) : end('session.ended')),
            (err: unknown) => deps.log.warn({ err }, 'session check failed'),
          );
        },
        Math.max(1000, Date.parse(expiresAt) - Date.now() + 50),
      );
    };
    watchExpiry(session.expiresAt);

    remove = await deps.hub.add({
      sessionId,
      send: (event) => (replaying ? waiting.push(event) : write(event)),
      end,
    });
    if (closed) {
      remove();
      return;
    }
    const lastEventId = req.get('last-event-id');
    if (lastEventId) for (const event of await deps.hub.replay(lastEventId)) write(event);
    replaying = false;
    for (const event of waiting.splice(0)) write(event);
  });
}
