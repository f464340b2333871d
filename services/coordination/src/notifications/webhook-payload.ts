import type { WebhookKind } from './notification-config';
import { describeEvent, type NotificationEvent, type NotificationMessage, type Severity } from './notification-message';

/**
 * The request body each kind of webhook expects. Limits are the services' own (Slack: header
 * 150, section 3 000; Discord: content 2 000, embed title 256, description 4 096, field value
 * 1 024; Telegram: 4 096): a longer message is cut rather than refused.
 */

const ICON: Record<Severity, string> = { info: 'ℹ️', good: '✅', warning: '⚠️', critical: '🛑' };
const DISCORD_COLOR: Record<Severity, number> = {
  info: 0x3b82f6,
  good: 0x16a34a,
  warning: 0xf59e0b,
  critical: 0xdc2626,
};

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Slack mrkdwn and Telegram HTML both treat these three as markup. */
function escapeAngle(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function escapeDiscord(text: string): string {
  return text.replace(/([\\*_~`|>[\]])/g, '\\$1');
}

function headline(m: NotificationMessage): string {
  return `${ICON[m.severity]} ${m.title}`;
}

export interface SlackPayload {
  text: string;
  blocks: Record<string, unknown>[];
}

export function slackPayload(m: NotificationMessage): SlackPayload {
  const body = m.lines.map(escapeAngle).join('\n');
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: cut(headline(m), 150), emoji: true } },
  ];
  if (body) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: cut(body, 3_000) } });
  if (m.fields.length > 0) {
    blocks.push({
      type: 'section',
      fields: m.fields
        .slice(0, 10)
        .map((f) => ({ type: 'mrkdwn', text: cut(`*${escapeAngle(f.name)}*\n${escapeAngle(f.value)}`, 2_000) })),
    });
  }
  const context = [`${m.type}`, m.at];
  if (m.link) context.push(`<${m.link}|full report>`);
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: context.join(' · ') }] });
  // `text` is what notifications and screen readers show; the blocks are the message itself.
  return { text: cut(escapeAngle([headline(m), ...m.lines].join('\n')), 3_000), blocks };
}

export interface DiscordPayload {
  content: string;
  embeds: Record<string, unknown>[];
  allowed_mentions: { parse: string[] };
}

export function discordPayload(m: NotificationMessage): DiscordPayload {
  const embed: Record<string, unknown> = {
    title: cut(m.title, 256),
    color: DISCORD_COLOR[m.severity],
    timestamp: m.at,
    footer: { text: m.type },
  };
  if (m.lines.length > 0) embed.description = cut(m.lines.map(escapeDiscord).join('\n'), 4_096);
  if (m.fields.length > 0) {
    embed.fields = m.fields
      .slice(0, 25)
      .map((f) => ({ name: cut(f.name, 256), value: cut(escapeDiscord(f.value), 1_024), inline: true }));
  }
  if (m.link) embed.url = m.link;
  // A headline quoting "@everyone" must not ping a whole server.
  return { content: cut(escapeDiscord(headline(m)), 2_000), embeds: [embed], allowed_mentions: { parse: [] } };
}

export interface TelegramPayload {
  chat_id?: string;
  text: string;
  parse_mode: 'HTML';
  disable_web_page_preview: boolean;
}

export function telegramPayload(m: NotificationMessage, chatId: string | undefined): TelegramPayload {
  const parts = [`<b>${escapeAngle(headline(m))}</b>`, ...m.lines.map(escapeAngle)];
  for (const f of m.fields) parts.push(`<b>${escapeAngle(f.name)}:</b> ${escapeAngle(f.value)}`);
  if (m.link) parts.push(`<a href="${escapeAngle(m.link)}">Full report</a>`);
  parts.push(`<i>${escapeAngle(m.type)} · ${escapeAngle(m.at)}</i>`);
  // Cutting HTML could leave a tag open, which Telegram refuses: drop whole lines from the end instead.
  while (parts.length > 2 && parts.join('\n').length > 4_096) parts.splice(parts.length - 2, 1);
  const text = parts.join('\n');
  return {
    // The chat id also stays in the configured URL's query; Telegram reads either.
    ...(chatId === undefined ? {} : { chat_id: chatId }),
    text: text.length > 4_096 ? escapeAngle(cut(m.title, 4_000)) : text,
    parse_mode: 'HTML',
    disable_web_page_preview: true,
  };
}

/** The event itself, for a receiver that does its own formatting. */
export interface GenericPayload {
  id: string | null;
  topic: string;
  type: string;
  at: string;
  data: unknown;
}

export function genericPayload(event: NotificationEvent): GenericPayload {
  return { id: event.id ?? null, topic: event.topic, type: event.type, at: event.at, data: event.data };
}

export function webhookPayload(kind: WebhookKind, event: NotificationEvent, chatId?: string): unknown {
  switch (kind) {
    case 'slack':
      return slackPayload(describeEvent(event));
    case 'discord':
      return discordPayload(describeEvent(event));
    case 'telegram':
      return telegramPayload(describeEvent(event), chatId);
    case 'generic':
      return genericPayload(event);
  }
}
