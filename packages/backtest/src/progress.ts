/**
 * The progress bar on stderr: events processed, %, and the time left. The share done is counted in
 * events when their total is known (files), else in replayed time over [from, to) (the simulator and
 * the database, whose events are produced as the replay goes). On a terminal it redraws one line;
 * otherwise (a log, CI) it writes a plain line every 10 %.
 */
export function createProgress(
  stream: NodeJS.WritableStream & { isTTY?: boolean },
  extent: { events: number } | { from: number; to: number },
  now: () => number = () => performance.now(),
): { update: (done: number, at: number) => void; done: (done: number) => void } {
  const started = now();
  let lastDecile = -1;
  let lastDraw = -Infinity;
  let lastAt = -Infinity;
  const share = (done: number, at: number): number => {
    if ('events' in extent) return extent.events > 0 ? done / extent.events : 0;
    return (at - extent.from) / (extent.to - extent.from);
  };
  const line = (done: number, at = lastAt, finished = false): string => {
    const fraction = finished ? 1 : Math.max(0, Math.min(1, share(done, at)));
    const elapsed = (now() - started) / 1000;
    const eta = fraction > 0 ? (elapsed / fraction) * (1 - fraction) : NaN;
    const width = 30;
    const filled = Math.round(fraction * width);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
    return `[${bar}] ${(fraction * 100).toFixed(0).padStart(3)}%  ${done.toLocaleString('en-US')} events  ETA ${Number.isFinite(eta) ? `${eta.toFixed(1)} s` : '—'}`;
  };
  return {
    update(done, at) {
      lastAt = at;
      if (stream.isTTY) {
        const t = now();
        if (t - lastDraw < 100) return;
        lastDraw = t;
        stream.write(`\r${line(done, at)}`);
        return;
      }
      const decile = Math.floor(Math.max(0, Math.min(1, share(done, at))) * 10);
      if (decile > lastDecile && decile < 10) {
        lastDecile = decile;
        stream.write(`${line(done, at)}\n`);
      }
    },
    done(done) {
      const elapsed = ((now() - started) / 1000).toFixed(1);
      stream.write(`${stream.isTTY ? '\r' : ''}${line(done, lastAt, true)}  done in ${elapsed} s\n`);
    },
  };
}
