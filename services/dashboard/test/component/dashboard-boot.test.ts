import { startTestService, type TestService } from '@catalyst/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start } from '../../src/main';

describe('dashboard service', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService(start);
  });
  afterAll(async () => {
    await svc?.stop();
  });

  it('boots and answers health and its OpenAPI document', async () => {
    expect((await svc.call('/health', { auth: false })).body).toMatchObject({ status: 'ok', service: 'dashboard' });
    expect((await svc.call('/openapi.json', { auth: false })).status).toBe(200);
  });
});
