import { DomainError } from '../../common';

export enum MessagingErrorCode {
  NotFound = 'messaging.not_found',
  TemplateMissing = 'messaging.template_missing',
  NotRetryable = 'messaging.not_retryable',
  BadOptOutToken = 'messaging.bad_opt_out_token',
  BadWebhookToken = 'messaging.bad_webhook_token',
  RecipientMissing = 'messaging.recipient_missing',
}

export class MessagingError extends DomainError {}

export const messageNotFound = () =>
  new MessagingError('not_found', MessagingErrorCode.NotFound, 'message not found');

export const templateMissing = (template: string, file: string) =>
  new MessagingError(
    'unprocessable',
    MessagingErrorCode.TemplateMissing,
    `message template ${template} has no ${file}`,
    [{ field: 'template', reason: `no ${file} template` }],
  );

export const notRetryable = (status: string) =>
  new MessagingError(
    'conflict',
    MessagingErrorCode.NotRetryable,
    `only failed or cancelled messages can be retried (this one is ${status})`,
    [{ field: 'status', reason: status }],
  );

export const badOptOutToken = () =>
  new MessagingError('not_found', MessagingErrorCode.BadOptOutToken, 'unknown opt-out link', [
    { field: 'token', reason: 'not a valid opt-out link' },
  ]);

export const badWebhookToken = () =>
  new MessagingError('unauthorized', MessagingErrorCode.BadWebhookToken, 'bad webhook token');

export const recipientMissing = () =>
  new MessagingError('invalid', MessagingErrorCode.RecipientMissing, 'recipient is required', [
    { field: 'recipient', reason: 'required' },
  ]);
