import { startTestService, type TestService } from '@catalyst/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardContract, eventsRoute } from '../../src/dashboard.contract';
import { start } from '../../src/main';

/** The browser API as the OpenAPI document describes it: every route of the contract, JSON only. */
describe('dashboard OpenAPI document', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService(start, { DASHBOARD_PASSWORD: 'test-password' });
  });
  afterAll(async () => {
    await svc?.stop();
  });

  it('lists every /api route of the contract and the event stream', async () => {
    const res = await svc.call('/openapi.json', { auth: false });
    expect(res.status).toBe(200);
    const paths = res.body.paths as Record<string, Record<string, { operationId: string }>>;
    const openapiPath = (p: string) => p.replace(/:([A-Za-z]+)/g, '{$1}');
    for (const spec of [...Object.values(dashboardContract), eventsRoute]) {
      const entry = paths[openapiPath(spec.path)]?.[spec.method];
      expect(entry?.operationId, `${spec.method} ${spec.path}`).toBe(spec.operationId);
    }
  });

  it('answers API errors as JSON, never HTML', async () => {
    for (const path of ['/api/overview', '/api/news?limit=<script>', '/api/trades/%3Cb%3E/story']) {
      const res = await svc.call(path, { auth: false });
      expect(res.headers.get('content-type'), path).toMatch(/^application\/json/);
      expect(typeof res.body, path).toBe('object');
    }
  });
});
