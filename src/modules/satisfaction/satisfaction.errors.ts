import { DomainError } from '../../common';

export enum SatisfactionErrorCode {
  SurveyNotFound = 'satisfaction.survey_not_found',
  SurveyAnswered = 'satisfaction.survey_answered',
  SurveyExpired = 'satisfaction.survey_expired',
  ScoreOutOfRange = 'satisfaction.score_out_of_range',
  RateLimited = 'satisfaction.rate_limited',
}

export class SatisfactionError extends DomainError {}

export const surveyNotFound = () =>
  new SatisfactionError('not_found', SatisfactionErrorCode.SurveyNotFound, 'survey not found');

export const surveyAnswered = () =>
  new SatisfactionError(
    'conflict',
    SatisfactionErrorCode.SurveyAnswered,
    'this survey has already been answered',
  );

export const surveyExpired = () =>
  new SatisfactionError('gone', SatisfactionErrorCode.SurveyExpired, 'this survey has expired');

export const scoreOutOfRange = (kind: 'csat' | 'nps', field = 'score') =>
  new SatisfactionError(
    'invalid',
    SatisfactionErrorCode.ScoreOutOfRange,
    `${field}: ${kind === 'csat' ? 'CSAT is 1 to 5' : 'NPS is 0 to 10'}`,
    [{ field, reason: kind === 'csat' ? 'must be 1 to 5 for CSAT' : 'must be 0 to 10 for NPS' }],
  );
