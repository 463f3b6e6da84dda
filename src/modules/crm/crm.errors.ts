import { DomainError } from '../../common';

export enum CrmErrorCode {
  UnknownKind = 'crm.unknown_kind',
  KindNotAllowed = 'crm.kind_not_allowed',
  BadCursor = 'crm.bad_cursor',
  ArticleNotFound = 'crm.article_not_found',
  CategoryNotFound = 'crm.category_not_found',
  VersionNotFound = 'crm.version_not_found',
  SlugTaken = 'crm.slug_taken',
  NoContact = 'crm.no_contact',
  NotPublished = 'crm.not_published',
  AttachmentNotFound = 'crm.attachment_not_found',
}

export class CrmError extends DomainError {}

export const unknownKinds = (field: string, kinds: string[], known: string[]) =>
  new CrmError(
    'invalid',
    CrmErrorCode.UnknownKind,
    `${field}: unknown kind ${kinds.join(', ')} (known: ${known.join(', ')})`,
    [{ field, reason: `unknown: ${kinds.join(', ')}` }],
  );

export const kindsNotAllowed = (kinds: string[]) =>
  new CrmError(
    'forbidden',
    CrmErrorCode.KindNotAllowed,
    `your role may not search ${kinds.join(', ')}`,
    [{ field: 'kinds', reason: `not allowed: ${kinds.join(', ')}` }],
  );

export const badCursor = () =>
  new CrmError('invalid', CrmErrorCode.BadCursor, 'cursor: is not a cursor from this list', [
    { field: 'cursor', reason: 'is not a cursor from this list' },
  ]);

export const articleNotFound = () =>
  new CrmError('not_found', CrmErrorCode.ArticleNotFound, 'article not found');

export const categoryNotFound = () =>
  new CrmError('invalid', CrmErrorCode.CategoryNotFound, 'categoryId: no such category', [
    { field: 'categoryId', reason: 'no such category' },
  ]);

export const versionNotFound = (version: number) =>
  new CrmError('invalid', CrmErrorCode.VersionNotFound, `version: no version ${version}`, [
    { field: 'version', reason: 'no such version of this article' },
  ]);

export const slugTaken = () =>
  new CrmError('conflict', CrmErrorCode.SlugTaken, 'slug: already used', [
    { field: 'slug', reason: 'already used' },
  ]);

export const noContact = (channel: 'email' | 'sms') =>
  new CrmError(
    'unprocessable',
    CrmErrorCode.NoContact,
    `channel: the member has no ${channel === 'email' ? 'email address' : 'phone number'}`,
    [{ field: 'channel', reason: `member has no ${channel === 'email' ? 'email' : 'phone'}` }],
  );

export const notPublished = () =>
  new CrmError('unprocessable', CrmErrorCode.NotPublished, 'the article has no published version', [
    { field: 'id', reason: 'not published' },
  ]);

export const attachmentNotFound = () =>
  new CrmError('not_found', CrmErrorCode.AttachmentNotFound, 'attachment not found');
