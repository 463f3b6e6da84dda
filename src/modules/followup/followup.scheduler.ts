import { Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { AppConfig } from '../../config';
import { FollowupDispatcher } from './followup-dispatcher.service';

/**
 * Every FOLLOWUP_TICK_SECONDS: dispatch due follow-up tasks. Without the schedule module (CLI,
 * tests) nothing is registered and tests call the dispatcher themselves.
 */
@Injectable()
export class FollowupScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger('FollowupJobs');
  private running = false;

  constructor(
    private readonly dispatcher: FollowupDispatcher,
    private readonly config: AppConfig,
    @Optional() private readonly registry?: SchedulerRegistry,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.registry) return;
    const timer = setInterval(() => void this.tick(), this.config.FOLLOWUP_TICK_SECONDS * 1000);
    this.registry.addInterval('followup-dispatch', timer);
  }

  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const r = await this.dispatcher.dispatchDue();
      if (r.claimed) {
        this.logger.log(
          `follow-up: ${r.sent} message(s), ${r.queued} call(s) queued, ${r.deferred} deferred, ${r.cancelled} cancelled`,
        );
      }
    } catch (err) {
      this.logger.error({ err }, 'follow-up dispatch failed');
    } finally {
      this.running = false;
    }
  }
}
