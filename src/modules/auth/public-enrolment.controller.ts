import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { Actor, answerNoSoonerThan, Public, RequestActor } from '../../common';
import { AppConfig } from '../../config';
import { PublicEnrolDto } from '../members';
import { AuthService } from './auth.service';

@ApiTags('members')
@Controller()
export class PublicEnrolmentController {
  constructor(
    private readonly auth: AuthService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Self-service enrolment (the /join page), rate-limited per address like the sign-in. New email
   * or enrolled one, the same 202 in the same time: the card and a sign-in code go by email
   * (issue 13, defect 9). Bad input is still a 400 naming the field.
   */
  @Post('api/public/enrol')
  @Public()
  @UseGuards(ThrottlerGuard)
  @HttpCode(202)
  async publicEnrol(@Body() dto: PublicEnrolDto, @Actor() actor: RequestActor) {
    await answerNoSoonerThan(this.config.PUBLIC_ANSWER_FLOOR_MS, () =>
      this.auth.enrolPublicly(dto, actor),
    );
    return { sent: true };
  }
}
