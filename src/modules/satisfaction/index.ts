export { SatisfactionModule } from './satisfaction.module';
export { SatisfactionService } from './satisfaction.service';
export type {
  AnswerInput,
  AnswerResult,
  CreatedInvitation,
  DailyAggregateQuery,
  InvitationInput,
  SurveyView,
} from './satisfaction.service';
export type { AggregateQuery, AggregateRow, GroupBy } from './satisfaction.repository';
export type { SurveyChannel, SurveyKind } from './satisfaction-rules';
export { SatisfactionError, SatisfactionErrorCode } from './satisfaction.errors';
