import { reportingContract } from '@catalyst/shared';
import {
  createPrivateDatabase,
  startTestService,
  type PrivateDatabase,
  type TestService,
} from '@catalyst/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../src/main';
import { seedWeek } from '../support/seed-week';

interface OpenApiOperation {
  operationId: string;
  parameters?: Array<{ name: string; in: string; schema: { enum?: string[]; default?: unknown } }>;
  responses: Record<string, { content?: Record<string, unknown> }>;
}

/**
 * The provider side of the reporting contract: every route is in /openapi.json under its
 * operationId with its query parameters, and every answer of the real service parses with the
 * route's own schema (the one the dashboard's typed client trusts).
 */
describe('the reporting contract', () => {
  let pdb: PrivateDatabase;
  let svc: TestService;

  beforeAll(async () => {
    pdb = await createPrivateDatabase('reporting');
    await seedWeek(pdb.db);
    svc = await startTestService(start, { DATABASE_URL: pdb.url });
  });
  afterAll(async () => {
    await svc?.stop();
    await pdb?.drop();
  });

  it('documents every reporting route in /openapi.json, with its parameters and answers', async () => {
    const res = await svc.call('/openapi.json', { auth: false });
    expect(res.status).toBe(200);
    const paths = res.body.paths as Record<string, Record<string, OpenApiOperation>>;
    for (const spec of Object.values(reportingContract)) {
      const op = paths[spec.path]?.[spec.method];
      expect(op, `${spec.method.toUpperCase()} ${spec.path}`).toBeDefined();
      expect(op!.operationId).toBe(spec.operationId);
      expect(Object.keys(op!.responses)).toEqual(expect.arrayContaining(['200', '400', '401']));
    }
    const param = (path: string, name: string) => paths[path]!.get!.parameters!.find((p) => p.name === name);
    expect(param('/attribution', 'by')?.schema.enum).toEqual(['catalyst', 'pattern', 'source', 'symbol', 'session']);
    expect(param('/equity', 'resolution')?.schema.enum).toEqual(['daily', 'snapshot']);
    expect(param('/reports/daily', 'format')?.schema.enum).toEqual(['json', 'csv', 'html']);
    for (const path of ['/performance', '/equity', '/attribution', '/sources/scoreboard', '/trades']) {
      expect(param(path, 'from'), path).toBeDefined();
      expect(param(path, 'to'), path).toBeDefined();
    }
    expect(param('/trades', 'cursor')).toBeDefined();
  });

  it('answers every route with a body its schema accepts', async () => {
    const week = 'from=2026-11-02&to=2026-11-06';
    const checks: Array<[keyof typeof reportingContract, string]> = [
      ['getPerformance', `/performance?${week}`],
      ['getPerformance', '/performance'],
      ['getEquity', `/equity?${week}`],
      ['getEquity', `/equity?${week}&resolution=snapshot`],
      ['getSourceScoreboard', `/sources/scoreboard?${week}`],
      ['listTrades', '/trades?limit=3'],
      ['getDailyReport', '/reports/daily?date=2026-11-03'],
      ['getDailyReport', '/reports/daily?date=2026-11-08'],
      ['getDailyReport', '/reports/daily'],
      ['dailyPerformance', '/performance/daily?from=2026-11-01&to=2026-11-30'],
      ...(['catalyst', 'pattern', 'source', 'symbol', 'session'] as const).map(
        (by): [keyof typeof reportingContract, string] => ['getAttribution', `/attribution?${week}&by=${by}`],
      ),
    ];
    for (const [name, path] of checks) {
      const res = await svc.call(path);
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
      const parsed = reportingContract[name].response.safeParse(res.body);
      expect(parsed.success, `${path}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
  });

  it('answers errors in the one error shape', async () => {
    const res = await svc.call('/attribution?by=weather');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_input', requestId: expect.any(String) });
    expect((await svc.call('/performance', { auth: false })).status).toBe(401);
    expect((await svc.call('/reports/daily', { auth: false })).status).toBe(401);
  });
});
