import { z } from 'zod';

/** The one error shape every service answers with (DESIGN.md, fixed interfaces). */
export const ErrorResponse = z.object({
  error: z.object({
    /** Documented snake_case code, e.g. `invalid_input`, `not_found`, `risk_rejected`. */
    code: z.string(),
    message: z.string(),
    requestId: z.string().optional(),
    details: z.unknown().optional(),
  }),
});
export type ErrorResponse = z.infer<typeof ErrorResponse>;

/** One entry of `details` on an `invalid_input` error: `path` starts with params, query or body. */
export const ValidationIssue = z.object({ path: z.string(), message: z.string() });
export type ValidationIssue = z.infer<typeof ValidationIssue>;

export const HealthResponse = z.object({
  status: z.literal('ok'),
  service: z.string(),
  version: z.string(),
  uptimeSeconds: z.number().int().nonnegative(),
});
export type HealthResponse = z.infer<typeof HealthResponse>;

export const ReadyResponse = z.object({
  status: z.enum(['ready', 'not_ready']),
  /** Each named check: `ok` or `error: <message>`. */
  checks: z.record(z.string(), z.string()),
  /** Why the service is not ready when no check failed (it was marked not ready, e.g. while stopping). */
  reason: z.string().optional(),
});
export type ReadyResponse = z.infer<typeof ReadyResponse>;
