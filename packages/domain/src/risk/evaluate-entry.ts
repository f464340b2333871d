import { DomainInputError } from '../errors';
import {
  absFixed,
  decimalStep,
  divFixed,
  fixedToString,
  maxFixed,
  mulFixed,
  ONE,
  percentOf,
  stepsIn,
  toFixed,
  ZERO,
  type Fixed,
} from '../orders/decimal';
import { formatPrice, roundToTickFixed, validateBracket, type PriceIntent } from '../orders/price-ticks';
import type {
  EntryDecision,
  EntryRequest,
  Instant,
  PortfolioSnapshot,
  RiskCheck,
  RiskContext,
  RiskLimits,
  RiskRefusalCode,
  SizingBreakdown,
} from './types';

const MINUTE_MS = 60_000;

/** Rounding directions of a bracket's prices, so none is more aggressive than the signal asked. */
const INTENTS: Record<'long' | 'short', { entry: PriceIntent; stop: PriceIntent; target: PriceIntent }> = {
  long: { entry: 'buy_limit', stop: 'sell_stop', target: 'sell_limit' },
  short: { entry: 'sell_limit', stop: 'buy_stop', target: 'buy_limit' },
};

export function toEpochMs(t: Instant, what: string): number {
  const ms = typeof t === 'number' ? t : Date.parse(t);
  if (!Number.isFinite(ms))
    throw new DomainInputError('INVALID_TIME', `${what} is not a time: ${String(t)}`, { what, value: t });
  return ms;
}

const money = (x: Fixed): string => fixedToString(x);
/** Dollars for messages: cents, rounded half-even. */
const usd = (x: Fixed): string => {
  const cents = x < 0n ? -((-x + ONE / 200n) / (ONE / 100n)) : (x + ONE / 200n) / (ONE / 100n);
  const s = fixedToString(cents * (ONE / 100n), 2);
  return s.startsWith('-') ? `-$${s.slice(1)}` : `$${s}`;
};

/**
 * The daily loss, by the worse of two measures: today's realized loss, and the fall of equity from
 * the day's start (which includes open positions' unrealized losses). The limit is a percentage of
 * the day's starting equity. The caller latches the result (PortfolioSnapshot.dailyLossLimitHit) so
 * that a recovery later in the day does not reopen entries.
 */
export function dailyLossLimitReached(
  portfolio: Pick<PortfolioSnapshot, 'equity' | 'dayStartEquity' | 'realizedPnlToday' | 'dailyLossLimitHit'>,
  limits: Pick<RiskLimits, 'dailyLossLimitPct'>,
): { reached: boolean; loss: string; limit: string } {
  const dayStart = toFixed(portfolio.dayStartEquity, 'dayStartEquity');
  const equity = toFixed(portfolio.equity, 'equity');
  const realized = toFixed(portfolio.realizedPnlToday, 'realizedPnlToday');
  const loss = maxFixed(dayStart - equity, -realized, ZERO);
  const limit = percentOf(dayStart, toFixed(limits.dailyLossLimitPct), 'floor');
  return { reached: portfolio.dailyLossLimitHit === true || loss >= limit, loss: money(loss), limit: money(limit) };
}

/**
 * Decides whether a signal may open a position and how large, under every limit. Pure: the time,
 * the session and the halt switch come in `context`. Every check is evaluated and returned (to be
 * stored with the decision); the refusal reason is the first failing one in this order:
 *   trading_halted, session_closed, short_not_allowed, invalid_stop, limit_far_from_market,
 *   price_out_of_range, insufficient_liquidity, stale_signal, stale_news, news_source_failing,
 *   already_in_position, symbol_cooldown, daily_loss_limit, max_positions,
 *   then sizing: max_gross_exposure, insufficient_buying_power, position_too_small.
 * Sizing: floor(equity × risk% ÷ |entry − stop|) on the quantity step, capped by the max position
 * (equity × max position %), the remaining gross exposure (equity × max gross % − open positions at
 * their current price − pending entries) and the available buying power (buying power − pending
 * entries), each divided by the cost per share (the limit, or the market price plus Alpaca's
 * market-order buffer). All arithmetic is exact decimal (see orders/decimal.ts); quantities are
 * floored, so no cap can be exceeded by rounding.
 */
export function evaluateEntry(
  request: EntryRequest,
  portfolio: PortfolioSnapshot,
  limits: RiskLimits,
  context: RiskContext,
): EntryDecision {
  const checks: RiskCheck[] = [];
  const add = (code: RiskRefusalCode, passed: boolean, message: string, figures: RiskCheck['figures'] = {}): void => {
    checks.push({ code, passed, message, figures });
  };
  const now = toEpochMs(context.now, 'now');
  const side = request.side;
  const marketOrder = request.orderType === 'market';
  const symbol = request.symbol;

  // 1. Halt switch and session.
  add(
    'trading_halted',
    !context.halted,
    context.halted ? 'trading is halted: no new entries' : 'trading is not halted',
  );
  const sessionAllowed = context.session !== 'closed' && limits.entrySessions.includes(context.session);
  // Alpaca takes only limit orders (extended_hours, day) outside the regular session.
  const marketOutsideRegular = marketOrder && context.session !== 'regular';
  add(
    'session_closed',
    sessionAllowed && !marketOutsideRegular,
    !sessionAllowed
      ? `entries are not allowed in the ${context.session} session (allowed: ${limits.entrySessions.join(', ') || 'none'})`
      : marketOutsideRegular
        ? `market orders are not accepted in the ${context.session} session; use a limit`
        : `entries are allowed in the ${context.session} session`,
    { session: context.session },
  );
  add(
    'short_not_allowed',
    side === 'long' || limits.allowShort,
    side === 'long' || limits.allowShort ? `${side} entries are allowed` : 'short entries are not allowed',
  );

  // 2. Prices on Alpaca's tick, rounded away from aggression, and the bracket's coherence.
  const intents = INTENTS[side];
  const price = toFixed(request.price, 'price');
  if (price <= ZERO)
    throw new DomainInputError('INVALID_PRICE', `price must be positive, got ${String(request.price)}`);
  const entry = roundToTickFixed(request.entry, marketOrder ? 'nearest' : intents.entry);
  const stop = roundToTickFixed(request.stop, intents.stop);
  const target =
    request.target === undefined || request.target === null ? null : roundToTickFixed(request.target, intents.target);
  const problems = validateBracket({
    side,
    entry,
    stop,
    ...(target === null ? {} : { takeProfit: target }),
  });
  const bracketProblems = problems.filter((p) => p.code !== 'limit_far_from_market' && p.code !== 'off_tick');
  add(
    'invalid_stop',
    bracketProblems.length === 0,
    bracketProblems.length === 0
      ? `stop ${formatPrice(stop)} and ${target === null ? 'no target' : `target ${formatPrice(target)}`} are on the right side of the entry ${formatPrice(entry)}`
      : bracketProblems.map((p) => p.message).join('; '),
    { entry: formatPrice(entry), stop: formatPrice(stop), target: target === null ? null : formatPrice(target) },
  );
  const distancePct = divFixed(absFixed(entry - price) * 100n, price, 'ceil');
  const maxDistance = toFixed(limits.maxLimitDistancePct);
  const nearOk = marketOrder || distancePct <= maxDistance;
  add(
    'limit_far_from_market',
    nearOk,
    `entry ${formatPrice(entry)} is ${pct(distancePct)} % from the last trade ${usd(price)} (at most ${limits.maxLimitDistancePct} %)`,
    { distancePct: pct(distancePct) },
  );

  // 3. The stock itself.
  const priceOk = price >= toFixed(limits.minPrice) && price <= toFixed(limits.maxPrice);
  add(
    'price_out_of_range',
    priceOk,
    `price ${usd(price)} ${priceOk ? 'is within' : 'is outside'} $${limits.minPrice}–$${limits.maxPrice}`,
    { price: money(price) },
  );
  const liquid = request.avgVolume >= limits.minAvgVolume;
  add(
    'insufficient_liquidity',
    liquid,
    `average volume ${request.avgVolume} shares ${liquid ? 'meets' : 'is below'} the minimum ${limits.minAvgVolume}`,
    { avgVolume: request.avgVolume },
  );

  // 4. Freshness of the signal and its news.
  const signalAgeMin = (now - toEpochMs(request.signalAt, 'signalAt')) / MINUTE_MS;
  const signalFresh = signalAgeMin <= limits.maxSignalAgeMinutes;
  add(
    'stale_signal',
    signalFresh,
    `signal is ${round1(signalAgeMin)} min old (at most ${limits.maxSignalAgeMinutes})`,
    { signalAgeMinutes: round1(signalAgeMin) },
  );
  if (request.catalyst === null) {
    add('stale_news', false, 'no catalyst behind this signal: entries need fresh news');
    add('news_source_failing', false, 'no news source fed this signal');
  } else {
    const newsAgeMin = (now - toEpochMs(request.catalyst.publishedAt, 'catalyst.publishedAt')) / MINUTE_MS;
    const newsFresh = newsAgeMin <= limits.maxNewsAgeMinutes;
    add('stale_news', newsFresh, `news is ${round1(newsAgeMin)} min old (at most ${limits.maxNewsAgeMinutes})`, {
      newsAgeMinutes: round1(newsAgeMin),
    });
    const sources = request.catalyst.sources;
    const failing = sources.filter((s) => s.circuitState !== 'closed' || s.failing === true).map((s) => s.name);
    const sourcesOk = sources.length > 0 && failing.length === 0;
    add(
      'news_source_failing',
      sourcesOk,
      sources.length === 0
        ? 'the signal names no news source'
        : failing.length > 0
          ? `news source${failing.length > 1 ? 's' : ''} ${failing.join(', ')} failing`
          : `news sources ${sources.map((s) => s.name).join(', ')} healthy`,
      { failing: failing.join(',') || null },
    );
  }

  // 5. The portfolio.
  const holding =
    portfolio.positions.some((p) => p.symbol === symbol) || portfolio.pendingEntries.some((p) => p.symbol === symbol);
  add(
    'already_in_position',
    !holding,
    holding ? `already holding or entering ${symbol}` : `no position or pending entry in ${symbol}`,
  );
  const lastExit = portfolio.lastExitAt[symbol];
  const sinceExitMin = lastExit === undefined ? null : (now - toEpochMs(lastExit, 'lastExitAt')) / MINUTE_MS;
  const cooled = sinceExitMin === null || sinceExitMin >= limits.symbolCooldownMinutes;
  add(
    'symbol_cooldown',
    cooled,
    sinceExitMin === null
      ? `no recent exit in ${symbol}`
      : `${symbol} exited ${round1(sinceExitMin)} min ago (cooldown ${limits.symbolCooldownMinutes} min)`,
    { minutesSinceExit: sinceExitMin === null ? null : round1(sinceExitMin) },
  );
  const daily = dailyLossLimitReached(portfolio, limits);
  add(
    'daily_loss_limit',
    !daily.reached,
    daily.reached
      ? `daily loss limit reached: lost ${usd(toFixed(daily.loss))} of a ${usd(toFixed(daily.limit))} limit (${limits.dailyLossLimitPct} % of the day's starting equity); no entries until tomorrow`
      : `lost ${usd(toFixed(daily.loss))} today of a ${usd(toFixed(daily.limit))} limit`,
    { loss: daily.loss, limit: daily.limit },
  );
  const openSymbols = new Set([
    ...portfolio.positions.map((p) => p.symbol),
    ...portfolio.pendingEntries.map((p) => p.symbol),
  ]);
  const roomForOne = openSymbols.size < limits.maxPositions;
  add('max_positions', roomForOne, `${openSymbols.size} of ${limits.maxPositions} positions open or pending`, {
    open: openSymbols.size,
    max: limits.maxPositions,
  });

  // 6. Size. Skipped when the prices make no sense (no distance to size against).
  let sizing: SizingBreakdown | null = null;
  let sizeFigures: { qty: Fixed; costPerShare: Fixed; riskPerShare: Fixed } | null = null;
  if (bracketProblems.length === 0) {
    const equity = toFixed(portfolio.equity, 'equity');
    let gross = ZERO;
    for (const p of portfolio.positions) {
      gross += mulFixed(
        absFixed(toFixed(p.qty, 'position qty')),
        toFixed(p.currentPrice, 'position currentPrice'),
        'ceil',
      );
    }
    let pending = ZERO;
    for (const p of portfolio.pendingEntries) pending += absFixed(toFixed(p.notional, 'pending notional'));
    const fractional = request.fractionable === true && marketOrder && side === 'long' && context.session === 'regular';
    const qtyDecimals = fractional ? limits.qtyDecimals : 0;
    const step = decimalStep(qtyDecimals);
    const riskPerShare = absFixed(entry - stop);
    const costPerShare = marketOrder
      ? mulFixed(maxFixed(entry, price), ONE + toFixed(limits.marketOrderBufferPct) / 100n, 'ceil')
      : entry;
    const riskBudget = percentOf(equity, toFixed(limits.riskPerTradePct), 'floor');
    const maxPosition = percentOf(equity, toFixed(limits.maxPositionPct), 'floor');
    const grossRoom = percentOf(equity, toFixed(limits.maxGrossExposurePct), 'floor') - gross - pending;
    const bpRoom = toFixed(portfolio.buyingPower, 'buyingPower') - pending;
    const qtyFor = (budget: Fixed, perShare: Fixed): Fixed =>
      budget <= ZERO ? ZERO : stepsIn(divFixed(budget, perShare, 'floor'), step) * step;
    const byRisk = qtyFor(riskBudget, riskPerShare);
    const byMaxPosition = qtyFor(maxPosition, costPerShare);
    const byGross = qtyFor(grossRoom, costPerShare);
    const byBp = qtyFor(bpRoom, costPerShare);
    let qty = byRisk;
    let binding: SizingBreakdown['binding'] = 'risk';
    if (byMaxPosition < qty) [qty, binding] = [byMaxPosition, 'max_position'];
    if (byGross < qty) [qty, binding] = [byGross, 'gross_exposure'];
    if (byBp < qty) [qty, binding] = [byBp, 'buying_power'];
    sizing = {
      riskBudget: money(riskBudget),
      riskPerShare: money(riskPerShare),
      costPerShare: money(costPerShare),
      byRisk: money(byRisk),
      byMaxPosition: money(byMaxPosition),
      byGrossExposure: money(byGross),
      byBuyingPower: money(byBp),
      qty: money(qty),
      binding,
      qtyDecimals,
    };
    sizeFigures = { qty, costPerShare, riskPerShare };
    add(
      'max_gross_exposure',
      byGross > ZERO,
      byGross > ZERO
        ? `gross exposure ${usd(gross + pending)} leaves ${usd(grossRoom)} of ${limits.maxGrossExposurePct} % of equity`
        : `gross exposure ${usd(gross + pending)} leaves no room for one share at ${usd(costPerShare)} under ${limits.maxGrossExposurePct} % of equity (${usd(percentOf(equity, toFixed(limits.maxGrossExposurePct), 'floor'))})`,
      { gross: money(gross), pending: money(pending), room: money(grossRoom) },
    );
    add(
      'insufficient_buying_power',
      byBp > ZERO,
      byBp > ZERO
        ? `buying power ${usd(bpRoom)} after pending entries`
        : `buying power ${usd(bpRoom)} after pending entries does not cover one share at ${usd(costPerShare)}`,
      { available: money(bpRoom) },
    );
    add(
      'position_too_small',
      qty > ZERO,
      qty > ZERO
        ? `${money(qty)} shares (set by ${binding.replace('_', ' ')})`
        : byRisk === ZERO
          ? `risking ${usd(riskBudget)} (${limits.riskPerTradePct} % of equity) at ${usd(riskPerShare)} a share buys less than ${money(step)} share`
          : `capped to 0 shares by ${binding.replace('_', ' ')}`,
      { qty: money(qty), byRisk: money(byRisk), byMaxPosition: money(byMaxPosition) },
    );
  }

  const failed = checks.find((c) => !c.passed);
  if (failed || sizing === null || sizeFigures === null) {
    const first = failed ?? checks[0]!;
    return { approved: false, reason: first.code, message: first.message, checks, sizing };
  }
  const { qty, costPerShare, riskPerShare } = sizeFigures;
  return {
    approved: true,
    symbol,
    side,
    qty: sizing.qty,
    notional: money(mulFixed(qty, entry, 'ceil')),
    cost: money(mulFixed(qty, costPerShare, 'ceil')),
    riskAmount: money(mulFixed(qty, riskPerShare, 'ceil')),
    prices: {
      entry: marketOrder ? null : formatPrice(entry),
      stop: formatPrice(stop),
      takeProfit: target === null ? null : formatPrice(target),
    },
    sizing,
    checks,
  };
}

function pct(x: Fixed): string {
  return fixedToString(((x + ONE / 200n) / (ONE / 100n)) * (ONE / 100n));
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
