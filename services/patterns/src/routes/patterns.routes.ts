import { patternsContract, type ServiceApp } from '@catalyst/shared';
import type { DetectionsRepository } from '../data-access/detections.repository';
import type { PatternsMetrics } from '../patterns-metrics';
import type { createAnalyzeSymbol } from '../use-cases/analyze-symbol.use-case';
import { detectPatterns } from '../use-cases/detect-patterns.use-case';

export interface PatternsRoutesDeps {
  api: ServiceApp;
  detections: DetectionsRepository;
  analyzeSymbol: ReturnType<typeof createAnalyzeSymbol>;
  metrics: PatternsMetrics;
}

export function registerPatternsRoutes({ api, detections, analyzeSymbol, metrics }: PatternsRoutesDeps): void {
  api.route(patternsContract.detectPatterns, ({ body }) => detectPatterns(body, metrics));
  api.route(patternsContract.analyze, ({ body }, ctx) => analyzeSymbol(body, ctx.log));
  api.route(patternsContract.listDetections, ({ query }) => detections.list(query));
}
