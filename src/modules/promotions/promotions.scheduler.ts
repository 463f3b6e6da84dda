import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { EarningService } from './earning.service';
import { TiersService } from './tiers.service';

/**
 * Nightly (03:30, server time): tier recalculation, downgrades after the grace period. Daily
 * (07:00): the birthday bonus for the day's birthdays (once per member and year).
 */
@Injectable()
export class PromotionsScheduler {
  private readonly logger = new Logger('PromotionsJobs');
  private running = false;
  private birthdaysRunning = false;

  constructor(
    private readonly tiers: TiersService,
    private readonly earning: EarningService,
  ) {}

  @Cron('0 0 7 * * *')
  async birthdays(): Promise<void> {
    if (this.birthdaysRunning) return;
    this.birthdaysRunning = true;
    try {
      const r = await this.earning.birthdayRun();
      this.logger.log(`birthdays ${r.date}: ${r.members} member(s), ${r.awarded} bonus(es)`);
    } catch (err) {
      this.logger.error({ err }, 'birthday bonus run failed');
    } finally {
      this.birthdaysRunning = false;
    }
  }

  @Cron('0 30 3 * * *')
  async nightly(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.tiers.recalculate();
    } catch (err) {
      this.logger.error({ err }, 'tier recalculation failed');
    } finally {
      this.running = false;
    }
  }
}
