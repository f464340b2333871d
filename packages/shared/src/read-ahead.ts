/**
 * A promise started now and awaited later, so that independent reads run side by side: its
 * failure surfaces where it is awaited, never as an unhandled rejection in between (when an
 * earlier check throws first, it is simply never awaited).
 */
export function readAhead<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
