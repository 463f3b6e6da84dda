import { DomainError } from '../../common';

export enum MembersErrorCode {
  NotFound = 'members.not_found',
  EmailTaken = 'members.email_taken',
  GuardianRequired = 'members.guardian_required',
  Erased = 'members.erased',
  TermsRequired = 'members.terms_required',
  NothingToUpdate = 'members.nothing_to_update',
}

export class MembersError extends DomainError {}

export const memberNotFound = () =>
  new MembersError('not_found', MembersErrorCode.NotFound, 'member not found');

export const emailTaken = () =>
  new MembersError('conflict', MembersErrorCode.EmailTaken, 'this email is already enrolled', [
    { field: 'email', reason: 'already enrolled' },
  ]);

export const guardianRequired = (minAge: number) =>
  new MembersError(
    'invalid',
    MembersErrorCode.GuardianRequired,
    `members under ${minAge} need a guardian's consent`,
    [{ field: 'guardianName', reason: `required under ${minAge}` }],
  );

export const termsCannotBeWithdrawn = () =>
  new MembersError(
    'invalid',
    MembersErrorCode.TermsRequired,
    'the programme terms cannot be withdrawn; to leave the programme, ask for erasure',
    [{ field: 'consents.terms', reason: 'cannot be withdrawn; use erasure instead' }],
  );

export const nothingToUpdate = () =>
  new MembersError('invalid', MembersErrorCode.NothingToUpdate, 'nothing to update', [
    { field: 'body', reason: 'give at least one field to change' },
  ]);
