import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrationsDir, repoRoot, schemaPath } from '../../src/db';

const root = path.resolve(import.meta.dirname, '../../../..');

describe('repoRoot and schemaPath', () => {
  it('find the workspace root from any folder inside it', () => {
    expect(repoRoot(path.join(root, 'packages/shared/src/db'))).toBe(root);
    expect(repoRoot(root)).toBe(root);
    expect(schemaPath(path.join(root, 'services'))).toBe(path.join(root, 'init_database.sql'));
    expect(migrationsDir(path.join(root, 'services'))).toBe(path.join(root, 'migrations'));
  });

  it('fall back to this package’s own location when the working directory is elsewhere', () => {
    const saved = process.cwd();
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'catalyst-cwd-'));
    try {
      process.chdir(elsewhere);
      expect(repoRoot()).toBe(root);
      expect(fs.existsSync(schemaPath())).toBe(true);
    } finally {
      process.chdir(saved);
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('say so when started from a folder outside any workspace', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'catalyst-none-'));
    try {
      expect(() => repoRoot(outside)).toThrow(`No pnpm-workspace.yaml above ${outside}`);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
