import { Injectable } from '@nestjs/common';

/**
 * The one source of "now" for domain code, so expiry, pending points and SLA deadlines are
 * tested by moving time instead of sleeping.
 */
@Injectable()
export class Clock {
  private offsetMs = 0;
  private fixed?: number;

  now(): Date {
    return new Date(this.nowMs());
  }

  /** `now()` in milliseconds, without a Date (for caches that check it on every read). */
  nowMs(): number {
    return this.fixed ?? Date.now() + this.offsetMs;
  }

  /** Tests only: freeze time at `at`. */
  set(at: Date | string): void {
    this.fixed = new Date(at).getTime();
  }

  /** Tests only: move time forward (frozen or not). */
  advance(ms: number): void {
    if (this.fixed !== undefined) this.fixed += ms;
    else this.offsetMs += ms;
  }

  reset(): void {
    this.fixed = undefined;
    this.offsetMs = 0;
  }
}
