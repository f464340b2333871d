import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAgainstSchema } from '../support/json-schema-check';
import { startPatternsHarness, type PatternsHarness } from '../support/patterns-harness';

type Doc = Record<string, unknown> & {
  paths: Record<
    string,
    Record<string, { operationId: string; requestBody?: unknown; responses: Record<string, unknown> }>
  >;
};

describe('the patterns API as its OpenAPI document describes it', () => {
  let h: PatternsHarness;
  let doc: Doc;

  beforeAll(async () => {
    h = await startPatternsHarness();
    doc = (await h.svc.call('/openapi.json', { auth: false })).body as Doc;
  });
  afterAll(async () => {
    await h?.stop();
  });

  function responseSchema(path: string, method: string, status: string): Record<string, unknown> {
    const op = doc.paths[path]![method]!;
    const res = op.responses[status] as { content: Record<string, { schema: Record<string, unknown> }> };
    return res.content['application/json']!.schema;
  }

  function errorSchema(): Record<string, unknown> {
    return (doc.components as { schemas: Record<string, Record<string, unknown>> }).schemas.ErrorResponse!;
  }

  it('documents POST /patterns, POST /analyze and GET /detections with their bodies', () => {
    expect(doc.paths['/patterns']!.post!.operationId).toBe('detectPatterns');
    expect(doc.paths['/analyze']!.post!.operationId).toBe('analyzeSymbol');
    expect(doc.paths['/detections']!.get!.operationId).toBe('listDetections');
    const body = (path: string) =>
      (doc.paths[path]!.post!.requestBody as { content: { 'application/json': { schema: { required: string[] } } } })
        .content['application/json'].schema;
    expect(body('/patterns').required).toEqual(['bars', 'patterns']);
    expect(body('/analyze').required).toEqual(['symbol']);
  });

  it('answers POST /analyze in the documented shape', async () => {
    const res = await h.svc.call('/analyze', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ symbol: h.symbols[10] }),
    });
    expect(res.status).toBe(200);
    expect(res.body.detections.length).toBeGreaterThan(0);
    expect(checkAgainstSchema(res.body, responseSchema('/analyze', 'post', '200'), doc)).toEqual([]);
  });

  it('answers GET /detections in the documented shape', async () => {
    const res = await h.svc.call(`/detections?symbol=${h.symbols[10]}&limit=5`);
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    expect(checkAgainstSchema(res.body, responseSchema('/detections', 'get', '200'), doc)).toEqual([]);
  });

  it('answers POST /patterns in the documented shape, and its errors in the error shape', async () => {
    const bars = Array.from({ length: 30 }, (_, i) => ({
      t: new Date(Date.UTC(2026, 0, 5, 15, i)).toISOString(),
      o: 10 + (i % 3) * 0.1,
      h: 10.5,
      l: 9.5,
      c: 10 + ((i + 1) % 3) * 0.1,
      v: 100,
    }));
    const ok = await h.svc.call('/patterns', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ bars, patterns: ['cdlengulfing', 'cdldoji'] }),
    });
    expect(ok.status).toBe(200);
    expect(checkAgainstSchema(ok.body, responseSchema('/patterns', 'post', '200'), doc)).toEqual([]);
    const bad = await h.svc.call('/patterns', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ bars, patterns: ['cdlnope'] }),
    });
    expect(bad.status).toBe(400);
    expect(checkAgainstSchema(bad.body, errorSchema(), doc)).toEqual([]);
  });

  it('catches a response that leaves the document (the checker is not vacuous)', () => {
    const schema = responseSchema('/analyze', 'post', '200');
    expect(checkAgainstSchema({ symbol: 'X' }, schema, doc)).not.toEqual([]);
    expect(
      checkAgainstSchema(
        {
          symbol: 'X',
          analyzedAt: 'yesterday',
          catalyst: null,
          newsContext: 'maybe',
          detections: [],
          levels: { support: [], resistance: [] },
        },
        schema,
        doc,
      ),
    ).toEqual(
      expect.arrayContaining([expect.stringContaining('$.analyzedAt'), expect.stringContaining('$.newsContext')]),
    );
  });
});
