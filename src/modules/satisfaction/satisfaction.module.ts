import { Module } from '@nestjs/common';
import { PromotionsModule } from '../promotions';
import { StoresModule } from '../stores';
import { SatisfactionDailyRepository } from './satisfaction-daily.repository';
import { SatisfactionRepository } from './satisfaction.repository';
import { SatisfactionService } from './satisfaction.service';
import { SurveyPagesController } from './survey-pages.controller';
import { SurveyRateLimitGuard } from './survey-rate-limit.guard';
import { SurveysController } from './surveys.controller';

@Module({
  imports: [PromotionsModule, StoresModule],
  controllers: [SurveysController, SurveyPagesController],
  providers: [
    SatisfactionRepository,
    SatisfactionDailyRepository,
    SatisfactionService,
    SurveyRateLimitGuard,
  ],
  exports: [SatisfactionService],
})
export class SatisfactionModule {}
