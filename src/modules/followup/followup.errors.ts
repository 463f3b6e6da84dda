import { DomainError } from '../../common';

export enum FollowupErrorCode {
  PlanNotFound = 'followup.plan_not_found',
  TaskNotFound = 'followup.task_not_found',
  ClaimedByAnother = 'followup.claimed_by_another',
  TaskNotOpen = 'followup.task_not_open',
  GoodwillAboveCap = 'followup.goodwill_above_cap',
  NotAMember = 'followup.not_a_member',
  AlreadyMember = 'followup.already_member',
  RewardUnavailable = 'followup.reward_unavailable',
  NoConsent = 'followup.no_consent',
}

export class FollowupError extends DomainError {}

export const planNotFound = () =>
  new FollowupError('not_found', FollowupErrorCode.PlanNotFound, 'follow-up plan not found');

export const taskNotFound = () =>
  new FollowupError('not_found', FollowupErrorCode.TaskNotFound, 'follow-up task not found');

export const claimedByAnother = (until: Date | null) =>
  new FollowupError(
    'conflict',
    FollowupErrorCode.ClaimedByAnother,
    `another agent is working this task${until ? ` until ${until.toISOString()}` : ''}`,
  );

export const taskNotOpen = (status: string) =>
  new FollowupError(
    'conflict',
    FollowupErrorCode.TaskNotOpen,
    `this task is ${status}: only due tasks take calls`,
  );

export const goodwillAboveCap = (cap: number) =>
  new FollowupError(
    'forbidden',
    FollowupErrorCode.GoodwillAboveCap,
    `goodwill above your cap of ${cap} points`,
    [{ field: 'goodwill.points', reason: `at most ${cap} for your role` }],
  );

export const notAMember = (field: string) =>
  new FollowupError(
    'unprocessable',
    FollowupErrorCode.NotAMember,
    'this customer is a contact without a card: enrol them first',
    [{ field, reason: 'only for members' }],
  );

export const alreadyMember = () =>
  new FollowupError(
    'conflict',
    FollowupErrorCode.AlreadyMember,
    'this customer is already a member',
    [{ field: 'offer.enrol', reason: 'already a member' }],
  );

export const rewardUnavailable = () =>
  new FollowupError(
    'conflict',
    FollowupErrorCode.RewardUnavailable,
    'this reward is not available now',
    [{ field: 'offer.rewardId', reason: 'not available' }],
  );

export const noConsent = () =>
  new FollowupError(
    'unprocessable',
    FollowupErrorCode.NoConsent,
    'a contact must consent to post-sale follow-up',
    [{ field: 'contact.consents.followup', reason: 'must be true' }],
  );
