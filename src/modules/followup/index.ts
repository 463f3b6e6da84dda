export { FollowupModule } from './followup.module';
export { FollowupPlansService } from './followup-plans.service';
export type { CompiledPlan } from './followup-plans.service';
export type { DispatchResult } from './followup-dispatcher.service';
export { FollowupQueueService } from './followup-queue.service';
export { FollowupError, FollowupErrorCode } from './followup.errors';
export type { Duration } from './iso-duration';
export type { QuietHours } from './quiet-hours';
export type { FollowupChannel, Outcome, TaskStatus, PlanConditions } from './followup-rules';
