import type { ExecutionContext } from '@nestjs/common';
import { DomainError } from '../../common';
import type { AppConfig } from '../../config';
import { SurveyRateLimitGuard } from './survey-rate-limit.guard';

const from = (ip: string) =>
  ({ switchToHttp: () => ({ getRequest: () => ({ ip }) }) }) as unknown as ExecutionContext;

describe('SurveyRateLimitGuard', () => {
  it('allows the configured number per address and minute, then refuses with 429', () => {
    const guard = new SurveyRateLimitGuard({ SURVEY_RATE_LIMIT_PER_MINUTE: 3 } as AppConfig);
    for (let i = 0; i < 3; i++) expect(guard.canActivate(from('10.0.0.1'))).toBe(true);
    expect(() => guard.canActivate(from('10.0.0.1'))).toThrow(DomainError);
    try {
      guard.canActivate(from('10.0.0.1'));
    } catch (err) {
      expect((err as DomainError).kind).toBe('rate_limited');
    }
    // Another address has its own allowance.
    expect(guard.canActivate(from('10.0.0.2'))).toBe(true);
  });
});
