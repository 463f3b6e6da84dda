import { DomainError } from '../../common';

export enum ContactsErrorCode {
  KeyRequired = 'contacts.key_required',
  BadPhone = 'contacts.bad_phone',
}

export class ContactsError extends DomainError {}

export const keyRequired = () =>
  new ContactsError('invalid', ContactsErrorCode.KeyRequired, 'an email or a phone is required', [
    { field: 'email', reason: 'an email or a phone is required' },
  ]);

export const badPhone = () =>
  new ContactsError('invalid', ContactsErrorCode.BadPhone, 'phone is not a valid phone number', [
    { field: 'phone', reason: 'must be a valid phone number (E.164, e.g. +34600111222)' },
  ]);
