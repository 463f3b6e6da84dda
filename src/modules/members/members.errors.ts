import { DomainError } from '../../common';

export enum MembersErrorCode {
  NotFound = 'members.not_found',
  EmailTaken = 'members.email_taken',
  GuardianRequired = 'members.guardian_required',
  Erased = 'members.erased',
}

export class MembersError extends DomainError {}

export const memberNotFound = () =>
  new MembersError('not_found', MembersErrorCode.NotFound, 'member not found');
