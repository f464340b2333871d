import { toCsv } from '@catalyst/domain';
import { reportingContract, type ServiceApp } from '@catalyst/shared';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import type { PerformanceRepository } from '../data-access/performance.repository';
import { resolveRange } from '../use-cases/report-range';
import type { Reports } from '../use-cases/reports.use-case';
import { renderDailyReportHtml } from './daily-report.html';

type DailyReportQuery = z.infer<NonNullable<typeof reportingContract.getDailyReport.query>>;
type ReportFormat = 'json' | 'csv' | 'html';

/** `format=` wins; otherwise the Accept header picks HTML or CSV when it asks for them, else JSON. */
function formatOf(req: Request, asked: ReportFormat | undefined): ReportFormat {
  if (asked) return asked;
  const best = req.accepts(['application/json', 'text/html', 'text/csv']);
  return best === 'text/html' ? 'html' : best === 'text/csv' ? 'csv' : 'json';
}

/** The page's own policy: no script and nothing fetched from elsewhere, only its inline styles. */
const HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

export function registerReportRoutes(
  api: ServiceApp,
  reports: Reports,
  repo: PerformanceRepository,
  now: () => number,
) {
  api.route(reportingContract.getPerformance, ({ query }) => reports.performance(resolveRange(query, now())));
  api.route(reportingContract.getEquity, ({ query }) => reports.equity(resolveRange(query, now()), query.resolution));
  api.route(reportingContract.getAttribution, ({ query }) => reports.attribution(resolveRange(query, now()), query.by));
  api.route(reportingContract.getSourceScoreboard, ({ query }) => reports.scoreboard(resolveRange(query, now())));

  api.route(reportingContract.listTrades, ({ query }) => {
    // /trades has no default range: without from/to it pages through every trade.
    const range = query.from !== undefined || query.to !== undefined ? resolveRange(query, now()) : undefined;
    return repo.tradeDetails({
      limit: query.limit,
      cursor: query.cursor,
      symbol: query.symbol,
      fromMs: range?.fromMs,
      toMs: range?.toMs,
    });
  });
  api.route(reportingContract.dailyPerformance, async ({ query }) => ({ items: await repo.daily(query) }));

  api.rawRoute(reportingContract.getDailyReport, (req: Request, res: Response, next) => {
    const { query } = res.locals.input as { query: DailyReportQuery };
    const date = query.date ?? reports.today();
    const format = formatOf(req, query.format);
    reports
      .daily(date)
      .then((doc) => {
        res.vary('Accept');
        if (format === 'json') {
          res.json(doc);
        } else if (format === 'csv') {
          res
            .type('text/csv; charset=utf-8')
            .set('Content-Disposition', `attachment; filename="catalyst-daily-${date}.csv"`)
            .send(toCsv([{ ...doc.summary }]));
        } else {
          res
            .type('text/html; charset=utf-8')
            .set('Content-Security-Policy', HTML_POLICY)
            .send(renderDailyReportHtml(doc));
        }
      })
      .catch(next);
  });
}
