import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type Response } from 'express';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_PUBLIC_DIR = path.resolve(here, '../public');

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Strict headers on every answer: no inline script, no framing, no sniffing, no referrer. */
export function setSecurityHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
}

/**
 * The pages: public/ as static files, lightweight-charts from the installed package under
 * /vendor, and the single-page fallback (index.html) for any other path without an extension
 * outside /api.
 */
export function mountPages(app: Express, publicDir: string): void {
  app.use(
    express.static(publicDir, {
      index: 'index.html',
      extensions: ['html'],
      setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
    }),
  );
  try {
    const require = createRequire(import.meta.url);
    const chartsDir = path.dirname(require.resolve('lightweight-charts/package.json'));
    app.use('/vendor', express.static(path.join(chartsDir, 'dist'), { fallthrough: true }));
  } catch {
    // Not installed: the chart page says so; everything else works.
  }
  app.get(/^\/(?!api(?:\/|$))[^.]*$/, (req, res, next) => {
    if (req.method !== 'GET') return next();
    const index = path.join(publicDir, 'index.html');
    if (!existsSync(index)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
