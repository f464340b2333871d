import type { TestService } from '@catalyst/shared/testing';
import type { Browser } from './fleet';

export interface SseMessage {
  id?: string;
  event?: string;
  data?: string;
}

/** A minimal EventSource over fetch: reads frames as they arrive. */
export async function openStream(svc: TestService, browser: Browser, lastEventId?: string) {
  const controller = new AbortController();
  const res = await fetch(new URL('/api/events', svc.url), {
    headers: { cookie: browser.cookie, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
    signal: controller.signal,
  });
  const messages: SseMessage[] = [];
  const waiters: Array<() => void> = [];
  let ended = false;
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const msg: SseMessage = {};
          for (const line of block.split('\n')) {
            const colon = line.indexOf(':');
            if (colon <= 0) continue;
            const field = line.slice(0, colon);
            const text = line.slice(colon + 1).replace(/^ /, '');
            if (field === 'id' || field === 'event' || field === 'data') msg[field] = text;
          }
          if (msg.event || msg.data) messages.push(msg);
          waiters.splice(0).forEach((w) => w());
        }
      }
    } catch {
      // aborted
    }
    ended = true;
    waiters.splice(0).forEach((w) => w());
  })();
  return {
    res,
    messages,
    get ended() {
      return ended;
    },
    async waitFor(pred: (m: SseMessage) => boolean, timeoutMs = 1000): Promise<SseMessage> {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find(pred);
        if (found) return found;
        if (ended) throw new Error('stream ended');
        const left = until - Date.now();
        if (left <= 0) throw new Error(`no matching event within ${timeoutMs} ms: ${JSON.stringify(messages)}`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
    },
    async waitEnded(timeoutMs = 1000) {
      const until = Date.now() + timeoutMs;
      while (!ended && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      return ended;
    },
    close: () => controller.abort(),
  };
}
