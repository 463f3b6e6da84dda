export { SatisfactionModule } from './satisfaction.module';
export { SatisfactionService, presentResponse } from './satisfaction.service';
export type {
  AnswerInput,
  AnswerResult,
  CreatedInvitation,
  DailyAggregateQuery,
  InvitationInput,
  SurveyView,
} from './satisfaction.service';
export type { AggregateQuery, AggregateRow, GroupBy } from './satisfaction.repository';
export { csatScore, isLowScore, npsScore, scoreInRange, SURVEY_KINDS } from './satisfaction-rules';
export type { SurveyChannel, SurveyKind } from './satisfaction-rules';
export { SatisfactionError, SatisfactionErrorCode } from './satisfaction.errors';
