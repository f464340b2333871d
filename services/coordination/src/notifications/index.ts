export {
  startNotifier,
  NOTIFICATION_GROUP,
  type Notifier,
  type NotifierDeps,
  type DirectNotification,
} from './notifier';
export {
  notificationConfig,
  notificationConfigSchema,
  WebhookTarget,
  WEBHOOK_KINDS,
  DEFAULT_NOTIFY_EVENTS,
  type NotificationConfig,
  type WebhookKind,
} from './notification-config';
export { describeEvent, type NotificationEvent, type NotificationMessage } from './notification-message';
export { webhookPayload } from './webhook-payload';
