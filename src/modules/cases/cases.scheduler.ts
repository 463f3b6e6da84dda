import { Injectable, Logger } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { DocumentsService } from './documents/documents.service';
import { SlaService } from './sla.service';

/** Every minute: escalate cases at 80 % of their time and on breach. Every hour: purge documents. */
@Injectable()
export class CasesScheduler {
  private readonly logger = new Logger('CaseJobs');
  private running = false;

  constructor(
    private readonly sla: SlaService,
    private readonly documents: DocumentsService,
  ) {}

  @Cron(CronExpression.EVERY_MINUTE)
  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.sla.tick();
    } catch (err) {
      this.logger.error({ err }, 'case deadline tick failed');
    } finally {
      this.running = false;
    }
  }

  @Cron(CronExpression.EVERY_HOUR)
  async purge(): Promise<void> {
    try {
      await this.documents.purge();
    } catch (err) {
      this.logger.error({ err }, 'document purge failed');
    }
  }
}
