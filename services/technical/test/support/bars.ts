import type { Bar } from '@catalyst/domain';

/** Seeded minute bars: a random walk with some flat bars, as real minute data has. */
export function syntheticBars(n: number, seed = 42, start = Date.parse('2026-01-05T14:30:00Z')): Bar[] {
  let s = seed >>> 0 || 1;
  const rand = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  const bars: Bar[] = [];
  let price = 50;
  for (let i = 0; i < n; i++) {
    const o = price;
    const c = rand() < 0.05 ? o : Math.max(0.5, o * (1 + (rand() - 0.5) * 0.01));
    bars.push({
      t: new Date(start + i * 60_000).toISOString(),
      o,
      h: Math.max(o, c) * (1 + rand() * 0.004),
      l: Math.min(o, c) * (1 - rand() * 0.004),
      c,
      v: Math.floor(1000 + rand() * 50_000),
    });
    price = c;
  }
  return bars;
}
