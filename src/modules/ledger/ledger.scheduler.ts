import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { LedgerJobsService } from './ledger-jobs.service';

/** Every minute: release pending points whose return window passed, expire lots past expiry. */
@Injectable()
export class LedgerScheduler {
  private readonly logger = new Logger('LedgerJobs');
  private running = false;

  constructor(private readonly jobs: LedgerJobsService) {}

  @Cron(CronExpression.EVERY_MINUTE)
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const r = await this.jobs.runDueJobs();
      if (r.members) {
        this.logger.log(
          `points jobs: ${r.released} lot(s) released, ${r.expired} expired, ${r.members} member(s)`,
        );
      }
    } catch (err) {
      this.logger.error({ err }, 'points jobs failed');
    } finally {
      this.running = false;
    }
  }
}
