import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, invalid, Principal, Roles, UuidParam } from '../../common';
import { IdempotencyService, sendIdempotent } from '../idempotency';
import { AttemptDto, QueueQuery } from './dto/followups.dto';
import { FollowupAttemptsService } from './followup-attempts.service';
import { FollowupQueueService } from './followup-queue.service';

/** The agents' queue: list, a task with its customer, claim, attempts. */
@ApiTags('followup')
@Controller('api/followups')
export class FollowupsController {
  constructor(
    private readonly queue: FollowupQueueService,
    private readonly attempts: FollowupAttemptsService,
    private readonly idempotency: IdempotencyService,
  ) {}

  @Get()
  @Roles('agent', 'supervisor')
  list(@Query() q: QueueQuery, @CurrentPrincipal() principal: Principal) {
    return this.queue.list(q, principal);
  }

  @Get(':id')
  @Roles('agent', 'supervisor')
  detail(@UuidParam() id: string, @CurrentPrincipal() principal: Principal) {
    return this.queue.detail(id, principal);
  }

  @Post(':id/claim')
  @Roles('agent', 'supervisor')
  @HttpCode(200)
  claim(@UuidParam() id: string, @CurrentPrincipal() principal: Principal) {
    return this.queue.claim(id, principal);
  }

  @Post(':id/attempts')
  @Roles('agent', 'supervisor')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'required with goodwill points: a retry answers the first result',
  })
  async attempt(
    @UuidParam() id: string,
    @Body() dto: AttemptDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const header = req.headers['idempotency-key'];
    if (
      header !== undefined &&
      (typeof header !== 'string' || !this.idempotency.isValidKey(header))
    )
      throw invalid('Idempotency-Key', '8 to 255 visible ASCII characters');
    sendIdempotent(reply, await this.attempts.record(id, dto, principal, header ?? null));
  }
}
