import { AsyncLocalStorage } from 'node:async_hooks';

/** Per-request (or per-cycle) context: carried across awaits, read by the logger and the clients. */
export interface RequestContext {
  requestId?: string;
  cycleId?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...ctx }, fn);
}

export function currentContext(): RequestContext {
  return storage.getStore() ?? {};
}
