import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@catalyst/shared';

/** Recorded provider responses, beside the workspace (never copied into it). */
export const samplesDir = path.resolve(repoRoot(import.meta.dirname), '..', 'shared', 'contracts', 'samples');
export const samplesPresent = existsSync(path.join(samplesDir, 'README.md'));
export const samplesMissing = `the recorded provider responses are not at ${samplesDir}: sample tests skipped`;

if (!samplesPresent) console.warn(samplesMissing);

export function readSample<T = unknown>(relative: string): T {
  return JSON.parse(readFileSync(path.join(samplesDir, relative), 'utf8')) as T;
}

/** The bodies of a recording: `{request, status, headers, body}` captures, arrays of pages, or a plain body. */
export function sampleBodies(relative: string): unknown[] {
  const data = readSample<unknown>(relative);
  const list = Array.isArray(data) ? data : [data];
  return list.map((x) =>
    typeof x === 'object' && x !== null && 'request' in x && 'body' in x ? (x as { body: unknown }).body : x,
  );
}
