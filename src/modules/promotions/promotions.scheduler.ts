import { Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { TiersService } from './tiers.service';

/** Nightly (03:30, server time): tier recalculation, downgrades after the grace period. */
@Injectable()
export class PromotionsScheduler {
  private readonly logger = new Logger('PromotionsJobs');
  private running = false;

  constructor(private readonly tiers: TiersService) {}

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
