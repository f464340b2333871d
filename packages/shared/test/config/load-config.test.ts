import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  alpacaConfig,
  envWithDotenv,
  exitOnConfigError,
  loadConfig,
  newsProviderConfig,
  serviceConfigSchema,
  tradingParameters,
} from '../../src/config';
import { ConfigError } from '../../src/errors';

const TOKEN = 'a-token-of-thirty-two-characters';

function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('returns typed defaults for everything not set', () => {
    const config = loadConfig(serviceConfigSchema('scanner'), { CATALYST_API_TOKEN: TOKEN });
    expect(config).toEqual({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      PORT: 5001,
      HOST: '127.0.0.1',
      CATALYST_API_TOKEN: TOKEN,
      BODY_LIMIT: '1mb',
      SHUTDOWN_TIMEOUT_MS: 10_000,
      COORDINATION_URL: 'http://127.0.0.1:5000',
      SCANNER_URL: 'http://127.0.0.1:5001',
      PATTERNS_URL: 'http://127.0.0.1:5002',
      TECHNICAL_URL: 'http://127.0.0.1:5003',
      TRADING_URL: 'http://127.0.0.1:5005',
      NEWS_URL: 'http://127.0.0.1:5008',
      REPORTING_URL: 'http://127.0.0.1:5009',
      DASHBOARD_URL: 'http://127.0.0.1:5010',
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(loadConfig(serviceConfigSchema('trading'), { CATALYST_API_TOKEN: TOKEN }).PORT).toBe(5005);
  });

  it('parses numbers and URLs from their strings', () => {
    const config = loadConfig(serviceConfigSchema('news'), {
      CATALYST_API_TOKEN: TOKEN,
      PORT: '0',
      SHUTDOWN_TIMEOUT_MS: '2500',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/catalyst',
      REDIS_URL: 'redis://127.0.0.1:6379',
      SCANNER_URL: 'http://scanner:5001',
    });
    expect(config).toMatchObject({
      PORT: 0,
      SHUTDOWN_TIMEOUT_MS: 2500,
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/catalyst',
      SCANNER_URL: 'http://scanner:5001',
    });
  });

  it('gives one ConfigError whose single line names both a missing token and a bad PORT', () => {
    const err = configErrorOf(() => loadConfig(serviceConfigSchema('scanner'), { PORT: 'abc' }));
    expect(err.message).toBe(
      'Invalid configuration: PORT: must be a whole number from 0 to 65535 (got "abc"); CATALYST_API_TOKEN: is required but not set',
    );
    expect(err.message).not.toContain('\n');
  });

  it('names every bad variable with the reason', () => {
    const err = configErrorOf(() =>
      loadConfig(serviceConfigSchema('scanner'), {
        CATALYST_API_TOKEN: TOKEN,
        PORT: '70000',
        NODE_ENV: 'staging',
        LOG_LEVEL: 'loud',
        BODY_LIMIT: '1gb',
      }),
    );
    expect(err.message).toBe(
      'Invalid configuration: NODE_ENV: must be development, production or test (got "staging"); ' +
        'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent (got "loud"); ' +
        'PORT: must be a whole number from 0 to 65535 (got "70000"); BODY_LIMIT: must look like 100kb or 5mb (got "1gb")',
    );
  });

  it('never prints the value of a secret, nor a password inside a URL', () => {
    const err = configErrorOf(() =>
      loadConfig(z.object({ ...serviceConfigSchema('trading').shape, ...alpacaConfig }), {
        CATALYST_API_TOKEN: 'short-secret',
        DATABASE_URL: 'mysql://catalyst:hunter2@db.internal/catalyst',
        REDIS_URL: 'rediss//default:hunter3@cache:6379',
        ALPACA_BASE_URL: 'ftp://user:hunter4@paper-api.alpaca.markets',
      }),
    );
    expect(err.message).toBe(
      'Invalid configuration: DATABASE_URL: must be a postgres or postgresql URL (got "mysql://catalyst:[Redacted]@db.internal/catalyst"); ' +
        'REDIS_URL: must be a redis or rediss URL (value hidden); ' +
        'CATALYST_API_TOKEN: must be at least 16 characters (value hidden); ' +
        'ALPACA_BASE_URL: must be a http or https URL (got "ftp://user:[Redacted]@paper-api.alpaca.markets")',
    );
    expect(err.message).not.toMatch(/hunter|short-secret/);
  });

  it('keeps a value with a newline on one line', () => {
    const err = configErrorOf(() =>
      loadConfig(serviceConfigSchema('scanner'), { CATALYST_API_TOKEN: TOKEN, HOST: 'x', PORT: '5\n6' }),
    );
    expect(err.message).toBe('Invalid configuration: PORT: must be a whole number from 0 to 65535 (got "5\\n6")');
  });

  it('treats empty and blank strings as unset, so defaults apply and required ones are missing', () => {
    const err = configErrorOf(() =>
      loadConfig(serviceConfigSchema('scanner'), { CATALYST_API_TOKEN: '', PORT: '', LOG_LEVEL: '   ' }),
    );
    expect(err.message).toBe('Invalid configuration: CATALYST_API_TOKEN: is required but not set');

    const config = loadConfig(serviceConfigSchema('scanner'), {
      CATALYST_API_TOKEN: `  ${TOKEN}  `,
      PORT: '',
      DATABASE_URL: '',
    });
    expect(config.PORT).toBe(5001);
    expect(config.CATALYST_API_TOKEN).toBe(TOKEN);
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('reads the feature groups: trading parameters and news feeds', () => {
    const schema = z.object({ ...tradingParameters, ...newsProviderConfig });
    const config = loadConfig(schema, {
      MAX_POSITIONS: '3',
      NEWS_RSS_FEEDS: 'http://127.0.0.1:5090/rss/a.xml, http://127.0.0.1:5090/rss/b.xml,',
    });
    expect(config.MAX_POSITIONS).toBe(3);
    expect(config.RISK_PER_TRADE_PCT).toBe(1);
    expect(config.NEWS_RSS_FEEDS).toEqual(['http://127.0.0.1:5090/rss/a.xml', 'http://127.0.0.1:5090/rss/b.xml']);
    expect(loadConfig(schema, {}).NEWS_RSS_FEEDS).toEqual([]);

    const err = configErrorOf(() => loadConfig(schema, { MAX_POSITIONS: '2.5', NEWS_RSS_FEEDS: 'not a url' }));
    expect(err.message).toBe(
      'Invalid configuration: MAX_POSITIONS: must be a whole number from 1 to 100 (got "2.5"); NEWS_RSS_FEEDS.0: must be a http or https URL (got "not a url")',
    );
  });
});

describe('envWithDotenv', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'catalyst-config-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('reads the nearest .env under the process environment, which wins', () => {
    const workspace = path.join(root, 'ws');
    const pkg = path.join(workspace, 'services', 'scanner');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(workspace, 'pnpm-workspace.yaml'), 'packages: []\n');
    fs.writeFileSync(path.join(workspace, '.env'), `PORT=7000\nCATALYST_API_TOKEN=${TOKEN}\nEMPTY=\n`);
    const env = envWithDotenv({ PORT: '7100' }, pkg);
    expect(env).toEqual({ PORT: '7100', CATALYST_API_TOKEN: TOKEN, EMPTY: '' });
    expect(loadConfig(serviceConfigSchema('scanner'), env).PORT).toBe(7100);
  });

  it('stops looking at the workspace root', () => {
    const outer = path.join(root, 'outer');
    const workspace = path.join(outer, 'ws');
    fs.mkdirSync(workspace, { recursive: true });
    fs.writeFileSync(path.join(outer, '.env'), 'LEAKED=yes\n');
    fs.writeFileSync(path.join(workspace, 'pnpm-workspace.yaml'), 'packages: []\n');
    expect(envWithDotenv({ A: '1' }, workspace)).toEqual({ A: '1' });
  });
});

describe('exitOnConfigError', () => {
  it('rethrows anything that is not a ConfigError', () => {
    const boom = new Error('boom');
    expect(() => exitOnConfigError(boom)).toThrow(boom);
  });
});
