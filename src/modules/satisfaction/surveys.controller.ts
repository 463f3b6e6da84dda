import { Body, Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../../common';
import { SurveyAnswerDto } from './dto/survey-answer.dto';
import { SatisfactionService } from './satisfaction.service';
import { SurveyRateLimitGuard } from './survey-rate-limit.guard';

@ApiTags('surveys')
@Controller('api/public/surveys')
export class SurveysController {
  constructor(private readonly satisfaction: SatisfactionService) {}

  /** One answer per link: a second → 409, an expired link → 410, an unknown one → 404. */
  @Post(':token')
  @Public()
  @UseGuards(SurveyRateLimitGuard)
  @HttpCode(201)
  async answer(@Param('token') token: string, @Body() dto: SurveyAnswerDto) {
    const result = await this.satisfaction.respond(token.slice(0, 200), dto);
    return { responseId: result.responseId, kind: result.kind, escalated: result.escalated };
  }
}
