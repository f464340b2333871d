import { z } from 'zod';
import { defineRoute } from '../http/route';
import { idParam, isoTime, listOf, listQuery, symbolSchema } from './common';
import {
  Cycle,
  CycleSummary,
  DailyPerformance,
  NewsItem,
  NewsSource,
  Order,
  PatternDetection,
  Position,
  Scan,
  Setting,
  Signal,
  Trade,
} from './records';

/**
 * The contracts of every service's API: the server validates with them, the clients are typed
 * by them, and /openapi.json is generated from them. Each service's later work adds its routes here.
 */

const ServiceHealth = z.object({
  service: z.string(),
  url: z.string(),
  health: z.enum(['ok', 'down']),
  ready: z.enum(['ready', 'not_ready', 'down']),
  checks: z.record(z.string(), z.string()).optional(),
  latencyMs: z.number().nullable(),
});

export const coordinationContract = {
  listCycles: defineRoute({
    method: 'get',
    path: '/cycles',
    operationId: 'listCycles',
    summary: 'Trading cycles, newest first',
    tags: ['cycles'],
    query: listQuery.extend({ status: z.enum(['running', 'completed', 'failed']).optional() }),
    response: listOf(CycleSummary),
    idempotent: true,
  }),
  getCycle: defineRoute({
    method: 'get',
    path: '/cycles/:id',
    operationId: 'getCycle',
    summary: 'One cycle with its steps',
    tags: ['cycles'],
    params: idParam,
    response: Cycle,
    idempotent: true,
  }),
  listSettings: defineRoute({
    method: 'get',
    path: '/settings',
    operationId: 'listSettings',
    summary: 'The trading parameters and schedule an operator edits',
    tags: ['settings'],
    response: z.object({ items: z.array(Setting) }),
    idempotent: true,
  }),
  getStatus: defineRoute({
    method: 'get',
    path: '/status',
    operationId: 'getStatus',
    summary: 'Halted or not, the last cycles, and every service’s health and readiness',
    tags: ['status'],
    response: z.object({
      halted: z.boolean(),
      approvalMode: z.boolean(),
      lastCycles: z.array(CycleSummary),
      services: z.array(ServiceHealth),
    }),
    idempotent: true,
  }),
};

export const newsContract = {
  listNews: defineRoute({
    method: 'get',
    path: '/news',
    operationId: 'listNews',
    summary: 'News items, newest received first',
    tags: ['news'],
    query: listQuery.extend({ symbol: symbolSchema.optional(), since: isoTime.optional() }),
    response: listOf(NewsItem),
    idempotent: true,
  }),
  listSources: defineRoute({
    method: 'get',
    path: '/sources',
    operationId: 'listSources',
    summary: 'News sources and their status',
    tags: ['sources'],
    response: z.object({ items: z.array(NewsSource) }),
    idempotent: true,
  }),
};

export const scannerContract = {
  latestScan: defineRoute({
    method: 'get',
    path: '/scans/latest',
    operationId: 'latestScan',
    summary: 'The most recent scan with its candidates',
    tags: ['scans'],
    response: Scan,
    idempotent: true,
  }),
  getScan: defineRoute({
    method: 'get',
    path: '/scans/:id',
    operationId: 'getScan',
    summary: 'One scan with its candidates',
    tags: ['scans'],
    params: idParam,
    response: Scan,
    idempotent: true,
  }),
};

export const patternsContract = {
  listDetections: defineRoute({
    method: 'get',
    path: '/detections',
    operationId: 'listDetections',
    summary: 'Stored pattern detections, newest bar first',
    tags: ['detections'],
    query: listQuery.extend({ symbol: symbolSchema.optional(), since: isoTime.optional() }),
    response: listOf(PatternDetection),
    idempotent: true,
  }),
};

export const technicalContract = {
  listSignals: defineRoute({
    method: 'get',
    path: '/signals',
    operationId: 'listSignals',
    summary: 'Trade signals, newest first',
    tags: ['signals'],
    query: listQuery.extend({
      symbol: symbolSchema.optional(),
      status: z.enum(['pending', 'approved', 'rejected', 'expired', 'executed', 'refused']).optional(),
    }),
    response: listOf(Signal),
    idempotent: true,
  }),
  getSignal: defineRoute({
    method: 'get',
    path: '/signals/:id',
    operationId: 'getSignal',
    summary: 'One signal',
    tags: ['signals'],
    params: idParam,
    response: Signal,
    idempotent: true,
  }),
};

export const tradingContract = {
  listOrders: defineRoute({
    method: 'get',
    path: '/orders',
    operationId: 'listOrders',
    summary: 'Orders, newest first',
    tags: ['orders'],
    query: listQuery.extend({ symbol: symbolSchema.optional(), status: z.string().max(32).optional() }),
    response: listOf(Order),
    idempotent: true,
  }),
  getOrder: defineRoute({
    method: 'get',
    path: '/orders/:id',
    operationId: 'getOrder',
    summary: 'One order',
    tags: ['orders'],
    params: idParam,
    response: Order,
    idempotent: true,
  }),
  listPositions: defineRoute({
    method: 'get',
    path: '/positions',
    operationId: 'listPositions',
    summary: 'Open positions',
    tags: ['positions'],
    response: z.object({ items: z.array(Position) }),
    idempotent: true,
  }),
};

export const reportingContract = {
  listTrades: defineRoute({
    method: 'get',
    path: '/trades',
    operationId: 'listTrades',
    summary: 'Closed round-trip trades, newest first',
    tags: ['trades'],
    query: listQuery.extend({ symbol: symbolSchema.optional() }),
    response: listOf(Trade),
    idempotent: true,
  }),
  dailyPerformance: defineRoute({
    method: 'get',
    path: '/performance/daily',
    operationId: 'dailyPerformance',
    summary: 'Daily performance rows in a date range',
    tags: ['performance'],
    query: z
      .object({
        from: z.iso.date().optional(),
        to: z.iso.date().optional(),
      })
      .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] }),
    response: z.object({ items: z.array(DailyPerformance) }),
    idempotent: true,
  }),
};
