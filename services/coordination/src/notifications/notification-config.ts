import { inspect } from 'node:util';
import { CATALOGUE_EVENT_TYPES, envInt, isCatalogueEventType, type CatalogueEventType } from '@catalyst/shared';
import { z } from 'zod';

export const WEBHOOK_KINDS = ['slack', 'discord', 'telegram', 'generic'] as const;
export type WebhookKind = (typeof WEBHOOK_KINDS)[number];

/**
 * One configured webhook. Its URL is a secret (Slack, Discord and Telegram put the token in the
 * path, where the shared redaction cannot see it), so it is kept in a private field: logging or
 * serialising the parsed config shows the kind and host only.
 */
export class WebhookTarget {
  readonly #url: string;
  readonly host: string;

  constructor(
    readonly kind: WebhookKind,
    url: string,
    /** 1-based position in NOTIFY_WEBHOOKS, to tell two webhooks of one kind and host apart. */
    readonly position: number,
  ) {
    this.#url = url;
    this.host = new URL(url).host;
  }

  /** The secret URL, for the request only. */
  url(): string {
    return this.#url;
  }

  /** What logs and metrics may say about it. */
  get label(): string {
    return `${this.kind}#${this.position}@${this.host}`;
  }

  toJSON(): { kind: WebhookKind; host: string; position: number } {
    return { kind: this.kind, host: this.host, position: this.position };
  }

  [inspect.custom](): string {
    return `WebhookTarget(${this.label})`;
  }

  toString(): string {
    return this.label;
  }
}

/** Telegram's chat id, carried in the configured URL's query (`?chat_id=`). */
export function telegramChatId(target: WebhookTarget): string | undefined {
  return new URL(target.url()).searchParams.get('chat_id') ?? undefined;
}

/**
 * Parses `kind=url,kind=url`. Messages name the entry by position and kind, never by its text:
 * every part of it after the kind may be a token.
 */
function parseWebhooks(raw: string | undefined, ctx: z.RefinementCtx): WebhookTarget[] {
  if (raw === undefined) return [];
  const targets: WebhookTarget[] = [];
  const entries = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  entries.forEach((entry, i) => {
    const position = i + 1;
    const eq = entry.indexOf('=');
    const kind = eq > 0 ? entry.slice(0, eq).trim().toLowerCase() : '';
    if (!(WEBHOOK_KINDS as readonly string[]).includes(kind)) {
      ctx.addIssue({
        code: 'custom',
        message: `entry ${position} must be kind=url with kind ${WEBHOOK_KINDS.join(', ')}`,
      });
      return;
    }
    const url = entry.slice(eq + 1).trim();
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      ctx.addIssue({ code: 'custom', message: `entry ${position} (${kind}) is not a URL` });
      return;
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      ctx.addIssue({ code: 'custom', message: `entry ${position} (${kind}) must be an http or https URL` });
      return;
    }
    if (parsed.username !== '' || parsed.password !== '') {
      ctx.addIssue({ code: 'custom', message: `entry ${position} (${kind}) must not carry a user or password` });
      return;
    }
    if (kind === 'telegram' && (!parsed.pathname.endsWith('/sendMessage') || !parsed.searchParams.get('chat_id'))) {
      ctx.addIssue({
        code: 'custom',
        message: `entry ${position} (telegram) must look like https://api.telegram.org/bot<token>/sendMessage?chat_id=<id>`,
      });
      return;
    }
    targets.push(new WebhookTarget(kind as WebhookKind, url, position));
  });
  return targets;
}

/** Not notified unless NOTIFY_EVENTS names them: a busy news day would drown the rest. */
export const QUIET_BY_DEFAULT: readonly CatalogueEventType[] = ['news.catalyst'];
export const DEFAULT_NOTIFY_EVENTS = CATALOGUE_EVENT_TYPES.filter((t) => !QUIET_BY_DEFAULT.includes(t));

function parseEvents(raw: string | undefined, ctx: z.RefinementCtx): CatalogueEventType[] {
  if (raw === undefined) return [...DEFAULT_NOTIFY_EVENTS];
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 1 && names[0]!.toLowerCase() === 'all') return [...CATALOGUE_EVENT_TYPES];
  const unknown = names.filter((n) => !isCatalogueEventType(n));
  if (unknown.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown event type ${unknown.join(', ')}; use all or some of ${CATALOGUE_EVENT_TYPES.join(', ')}`,
    });
    return [];
  }
  return [...new Set(names as CatalogueEventType[])];
}

/** The notifier's environment, spread into the coordination service's config schema. */
export const notificationConfig = {
  /** Comma-separated `kind=url` (kind: slack, discord, telegram, generic); unset: notifications off. */
  NOTIFY_WEBHOOKS: z.string().optional().transform(parseWebhooks),
  /** Comma-separated event types, or `all`; unset: every type but `news.catalyst`. */
  NOTIFY_EVENTS: z.string().optional().transform(parseEvents),
  /** Per attempt. */
  NOTIFY_TIMEOUT_MS: envInt(100, 120_000).default(5_000),
  /** Attempts per notification, the first included (retried: 5xx, 429, timeouts, connection failures). */
  NOTIFY_MAX_ATTEMPTS: envInt(1, 10).default(4),
  /** Notifications waiting per webhook; when full the oldest is dropped and counted. */
  NOTIFY_QUEUE_SIZE: envInt(1, 10_000).default(100),
  /** Longest wait a webhook's `Retry-After` may ask for. */
  NOTIFY_MAX_RETRY_AFTER_MS: envInt(0, 600_000).default(60_000),
  /** How long stopping waits for queued notifications to go out. */
  NOTIFY_DRAIN_TIMEOUT_MS: envInt(0, 60_000).default(3_000),
};

export const notificationConfigSchema = z.object(notificationConfig);
export type NotificationConfig = z.infer<typeof notificationConfigSchema>;
