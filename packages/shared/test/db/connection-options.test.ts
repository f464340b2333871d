import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors';
import { dbConnectionOptions } from '../../src/db';

describe('dbConnectionOptions', () => {
  let dir: string;
  let caFile: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalyst-ssl-'));
    caFile = path.join(dir, 'ca.pem');
    fs.writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads user, password, host, port and database, percent-decoded', () => {
    const o = dbConnectionOptions('postgres://app%40x:p%40ss%2Fw0rd@db.example.com:25060/catalyst%20db');
    expect(o.config).toMatchObject({
      user: 'app@x',
      password: 'p@ss/w0rd',
      host: 'db.example.com',
      port: 25060,
      database: 'catalyst db',
    });
    expect(o.password).toBe('p@ss/w0rd');
    expect(o.target).toBe('app@x@db.example.com:25060/catalyst db');
    expect(o.target).not.toContain('p@ss');
  });

  it('defaults the port to 5432 and accepts postgresql:// and an IPv6 host', () => {
    const o = dbConnectionOptions('postgresql://postgres@[::1]/postgres');
    expect(o.config.host).toBe('::1');
    expect(o.config.port).toBe(5432);
  });

  it('takes a Unix socket directory from the host parameter', () => {
    const o = dbConnectionOptions('postgres:///catalyst?host=/var/run/postgresql');
    expect(o.config.host).toBe('/var/run/postgresql');
    expect(o.config.database).toBe('catalyst');
    expect(o.ignoredParams).toEqual([]);
  });

  it('without sslmode connects without TLS', () => {
    const o = dbConnectionOptions('postgres://postgres@127.0.0.1:5432/postgres');
    expect(o.sslmode).toBe('disable');
    expect(o.config.ssl).toBe(false);
  });

  it.each(['disable', 'allow'])('sslmode=%s connects without TLS', (mode) => {
    expect(dbConnectionOptions(`postgres://u@h/d?sslmode=${mode}`).config.ssl).toBe(false);
  });

  it.each(['require', 'prefer'])('sslmode=%s uses TLS without verifying the certificate', (mode) => {
    const o = dbConnectionOptions(`postgres://u@h/d?sslmode=${mode}`);
    expect(o.sslmode).toBe(mode);
    expect(o.config.ssl).toEqual({ rejectUnauthorized: false });
  });

  it('sslmode=verify-full verifies the chain and the host name', () => {
    const ssl = dbConnectionOptions('postgres://u@db.example.com/d?sslmode=verify-full').config.ssl;
    expect(ssl).toEqual({ rejectUnauthorized: true, servername: 'db.example.com' });
  });

  it('sslmode=verify-full with sslrootcert trusts that CA', () => {
    const ssl = dbConnectionOptions(`postgres://u@db.example.com/d?sslmode=verify-full&sslrootcert=${caFile}`).config
      .ssl;
    expect(ssl).not.toBe(false);
    if (ssl === false) return;
    expect(ssl.ca).toEqual(fs.readFileSync(caFile));
    expect(ssl.rejectUnauthorized).toBe(true);
    expect(ssl.servername).toBe('db.example.com');
    expect(ssl.checkServerIdentity).toBeUndefined();
  });

  it('sslmode=verify-ca verifies the chain but not the host name', () => {
    const ssl = dbConnectionOptions(`postgres://u@10.0.0.5/d?sslmode=verify-ca&sslrootcert=${caFile}`).config.ssl;
    if (ssl === false) throw new Error('expected TLS options');
    expect(ssl.rejectUnauthorized).toBe(true);
    expect(ssl.ca).toEqual(fs.readFileSync(caFile));
    expect(ssl.servername).toBeUndefined();
    expect(ssl.checkServerIdentity?.('other-name', {} as never)).toBeUndefined();
  });

  it('sslmode=require with an sslrootcert verifies the chain, as libpq does', () => {
    const ssl = dbConnectionOptions(`postgres://u@h/d?sslmode=require&sslrootcert=${caFile}`).config.ssl;
    if (ssl === false) throw new Error('expected TLS options');
    expect(ssl.rejectUnauthorized).toBe(true);
    expect(ssl.ca).toEqual(fs.readFileSync(caFile));
  });

  it('sslrootcert=system keeps Node’s own CA list', () => {
    const ssl = dbConnectionOptions('postgres://u@h/d?sslmode=verify-full&sslrootcert=system').config.ssl;
    expect(ssl).toEqual({ rejectUnauthorized: true, servername: 'h' });
  });

  it('an unreadable sslrootcert is a ConfigError naming the file', () => {
    const missing = path.join(dir, 'missing.pem');
    expect(() => dbConnectionOptions(`postgres://u@h/d?sslmode=verify-full&sslrootcert=${missing}`)).toThrow(
      ConfigError,
    );
    expect(() => dbConnectionOptions(`postgres://u@h/d?sslmode=verify-full&sslrootcert=${missing}`)).toThrow(
      `sslrootcert file "${missing}" cannot be read (ENOENT)`,
    );
  });

  it('an unknown sslmode is a ConfigError listing the valid ones', () => {
    expect(() => dbConnectionOptions('postgres://u:secretpw@h/d?sslmode=on')).toThrow(
      'Database URL: sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full (got "on")',
    );
  });

  it('refuses URLs that are not PostgreSQL URLs without echoing them', () => {
    expect(() => dbConnectionOptions('mysql://u:secretpw@h/d')).toThrow(
      'Database URL must start with postgres:// or postgresql:// (got mysql://)',
    );
    let message = '';
    try {
      dbConnectionOptions('not a url secretpw');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toContain('not a valid URL');
    expect(message).not.toContain('secretpw');
  });

  it('refuses a port out of range', () => {
    expect(() => dbConnectionOptions('postgres://u@h:0/d')).toThrow('Database URL has an invalid port (got "0")');
  });

  it('passes application_name and options, turns connect_timeout into milliseconds and lists what it ignores', () => {
    const o = dbConnectionOptions(
      'postgres://u@h/d?application_name=svc&connect_timeout=2&options=-c%20statement_timeout%3D5000&target_session_attrs=any',
    );
    expect(o.config.application_name).toBe('svc');
    expect(o.config.options).toBe('-c statement_timeout=5000');
    expect(o.config.connectionTimeoutMillis).toBe(2000);
    expect(o.ignoredParams).toEqual(['target_session_attrs']);
  });

  it('an explicit application name wins over the URL’s; the connect timeout defaults to 5 s', () => {
    const o = dbConnectionOptions('postgres://u@h/d?application_name=url', { applicationName: 'explicit' });
    expect(o.config.application_name).toBe('explicit');
    expect(o.config.connectionTimeoutMillis).toBe(5000);
  });

  it('pg keeps the TLS options as given, whatever PGSSLMODE says', () => {
    const saved = process.env.PGSSLMODE;
    process.env.PGSSLMODE = 'verify-full';
    try {
      const plain = new pg.Client(dbConnectionOptions('postgres://u@h/d?sslmode=disable').config);
      expect(plain.ssl).toBe(false);
      const required = new pg.Client(dbConnectionOptions('postgres://u@h/d?sslmode=require').config);
      expect(required.ssl).toEqual({ rejectUnauthorized: false });
    } finally {
      if (saved === undefined) delete process.env.PGSSLMODE;
      else process.env.PGSSLMODE = saved;
    }
  });
});
