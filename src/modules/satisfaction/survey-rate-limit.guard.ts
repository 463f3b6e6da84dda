import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../common';
import { AppConfig } from '../../config';
import { SatisfactionErrorCode } from './satisfaction.errors';

const WINDOW_MS = 60_000;
const MAX_TRACKED = 50_000;

/**
 * Survey pages and answers per client address: SURVEY_RATE_LIMIT_PER_MINUTE in a fixed
 * one-minute window, so tokens cannot be tried in bulk. In memory, per instance.
 */
@Injectable()
export class SurveyRateLimitGuard implements CanActivate {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const now = Date.now();
    const key = req.ip ?? 'unknown';
    let w = this.windows.get(key);
    if (!w || now - w.start >= WINDOW_MS) {
      if (this.windows.size >= MAX_TRACKED) this.prune(now);
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    if (w.count > this.config.SURVEY_RATE_LIMIT_PER_MINUTE) {
      throw new DomainError(
        'rate_limited',
        SatisfactionErrorCode.RateLimited,
        'too many attempts, try again later',
      );
    }
    return true;
  }

  private prune(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= WINDOW_MS) this.windows.delete(key);
    if (this.windows.size >= MAX_TRACKED) this.windows.clear();
  }
}
