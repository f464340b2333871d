/**
 * The live stream: one EventSource per page load. The browser reconnects by itself and sends
 * Last-Event-ID, so the server replays what was missed; nothing here polls.
 */
import { toLogin } from './api.js';

const EVENT_TYPES = [
  'news.catalyst',
  'signal.created',
  'order.updated',
  'fill',
  'trade.opened',
  'trade.closed',
  'trading.halted',
  'trading.resumed',
  'reconciliation.discrepancy',
  'cycle.step',
  'cycle.finished',
  'cycle.failed',
  'scan.completed',
  'approval.decided',
];

const listeners = new Set();
const stateListeners = new Set();
let source = null;
let state = 'connecting';

function setState(s) {
  state = s;
  for (const fn of stateListeners) fn(s);
}

export function connectLive() {
  if (source) return;
  source = new EventSource('/api/events');
  source.addEventListener('open', () => setState('live'));
  source.addEventListener('error', () =>
    setState(source && source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting'),
  );
  source.addEventListener('session.ended', () => {
    source.close();
    setState('closed');
    toLogin('expired');
  });
  for (const type of EVENT_TYPES) {
    source.addEventListener(type, (msg) => {
      let envelope;
      try {
        envelope = JSON.parse(msg.data);
      } catch {
        return;
      }
      for (const fn of listeners) {
        try {
          fn(type, envelope.data ?? {}, envelope);
        } catch (err) {
          // One page's broken handler must not stop the others; the console shows it (and fails the tests).
          console.error('live handler failed', err);
        }
      }
    });
  }
}

/** Calls fn(type, data, envelope) for every event; returns the unsubscribe. */
export function onLive(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function onLiveState(fn) {
  stateListeners.add(fn);
  fn(state);
  return () => stateListeners.delete(fn);
}

export function closeLive() {
  if (source) source.close();
  source = null;
}
