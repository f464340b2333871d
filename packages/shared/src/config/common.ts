import { z } from 'zod';
import { defaultServiceUrl, SERVICE_PORTS, type ServiceName } from './services';

/** Env helpers: environment variables are strings; these parse them strictly. */
export const envInt = (min: number, max: number) =>
  z.coerce
    .number({ message: `must be a whole number from ${min} to ${max}` })
    .int({ message: `must be a whole number from ${min} to ${max}` })
    .min(min, { message: `must be a whole number from ${min} to ${max}` })
    .max(max, { message: `must be a whole number from ${min} to ${max}` });

export const envNumber = (min: number, max: number) =>
  z.coerce
    .number({ message: `must be a number from ${min} to ${max}` })
    .min(min, { message: `must be a number from ${min} to ${max}` })
    .max(max, { message: `must be a number from ${min} to ${max}` });

export const envBool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const envUrl = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol.replace(/:$/, ''));
      } catch {
        return false;
      }
    },
    { message: `must be a ${protocols.join(' or ')} URL` },
  );

export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
  message: 'must be one of fatal, error, warn, info, debug, trace, silent',
});

const urls = Object.fromEntries(
  (Object.keys(SERVICE_PORTS) as ServiceName[]).map((s) => [
    `${s.toUpperCase()}_URL`,
    envUrl(['http', 'https']).default(defaultServiceUrl(s)),
  ]),
) as { [K in ServiceName as `${Uppercase<K>}_URL`]: z.ZodDefault<ReturnType<typeof envUrl>> };

/** What every service reads. Each service extends it with its own variables. */
export function serviceConfigSchema(service: ServiceName) {
  return z.object({
    NODE_ENV: z
      .enum(['development', 'production', 'test'], { message: 'must be development, production or test' })
      .default('development'),
    LOG_LEVEL: logLevel.default('info'),
    PORT: envInt(0, 65535).default(SERVICE_PORTS[service]),
    /** Interface to bind: 127.0.0.1 on a laptop, the container's interface (0.0.0.0 on the internal network) in compose. */
    HOST: z.string().default('127.0.0.1'),
    DATABASE_URL: envUrl(['postgres', 'postgresql']).optional(),
    REDIS_URL: envUrl(['redis', 'rediss']).optional(),
    CATALYST_API_TOKEN: z.string().min(16, { message: 'must be at least 16 characters' }),
    /** Request bodies above this are refused with 413. */
    BODY_LIMIT: z
      .string()
      .regex(/^\d+(b|kb|mb)$/i, { message: 'must look like 100kb or 5mb' })
      .default('1mb'),
    /** Upper bound for in-flight requests to drain on SIGTERM. */
    SHUTDOWN_TIMEOUT_MS: envInt(0, 120_000).default(10_000),
    ...urls,
  });
}

/** Alpaca trading and market data; in demo mode these point at the market simulator. */
export const alpacaConfig = {
  ALPACA_API_KEY: z.string().min(1).optional(),
  ALPACA_SECRET_KEY: z.string().min(1).optional(),
  ALPACA_BASE_URL: envUrl(['http', 'https']).default('https://paper-api.alpaca.markets'),
  ALPACA_DATA_URL: envUrl(['http', 'https']).default('https://data.alpaca.markets'),
};

/** News providers; a provider without a key is off and says so. */
export const newsProviderConfig = {
  NEWSAPI_KEY: z.string().min(1).optional(),
  NEWSAPI_URL: envUrl(['http', 'https']).default('https://newsapi.org'),
  ALPHAVANTAGE_KEY: z.string().min(1).optional(),
  ALPHAVANTAGE_URL: envUrl(['http', 'https']).default('https://www.alphavantage.co'),
  NEWS_RSS_FEEDS: z
    .string()
    .optional()
    .transform((v) =>
      v
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : [],
    )
    .pipe(z.array(envUrl(['http', 'https']))),
};

/** Trading parameters: the initial values of the settings an operator edits later. */
export const tradingParameters = {
  RISK_PER_TRADE_PCT: envNumber(0.01, 10).default(1),
  MAX_POSITION_PCT: envNumber(0.1, 100).default(10),
  MAX_POSITIONS: envInt(1, 100).default(5),
  MAX_GROSS_EXPOSURE_PCT: envNumber(1, 400).default(50),
  DAILY_LOSS_LIMIT_PCT: envNumber(0.1, 50).default(2),
  MIN_PRICE: envNumber(0.01, 10_000).default(2),
  MAX_PRICE: envNumber(0.01, 100_000).default(500),
  MIN_AVG_VOLUME: envInt(0, 1_000_000_000).default(200_000),
  SYMBOL_COOLDOWN_MINUTES: envInt(0, 10_080).default(30),
  FAST_PATH_MIN_SCORE: envNumber(0, 1).default(0.8),
};

export const simConfig = {
  SIM_SEED: envInt(0, 2 ** 31 - 1).default(42),
  SIM_SPEED: envNumber(0, 10_000).default(1),
};

export type ServiceConfig = z.infer<ReturnType<typeof serviceConfigSchema>>;
