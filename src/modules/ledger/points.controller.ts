import { Body, Controller, Get, Ip, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  actorOf,
  assertCanAccessMember,
  CurrentPrincipal,
  PageQuery,
  Principal,
  Roles,
  UuidParam,
} from '../../common';
import { AuditService } from '../audit';
import {
  ApiIdempotencyKey,
  IdempotencyKeyHeader,
  IdempotencyService,
  sendIdempotent,
} from '../idempotency';
import { MembersService } from '../members';
import { SettingsService } from '../settings';
import { AdjustPointsDto } from './dto/points.dto';
import { LedgerService } from './ledger.service';
import { LedgerQueriesService } from './ledger-queries.service';
import { TransactionRunner } from '../../database';

/** A member's points: balance and next expiries, the history with reasons, supervisor adjustments. */
@ApiTags('points')
@Controller('api/members/:id/points')
export class PointsController {
  constructor(
    private readonly ledger: LedgerService,
    private readonly queries: LedgerQueriesService,
    private readonly members: MembersService,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
    private readonly settings: SettingsService,
    private readonly db: TransactionRunner,
  ) {}

  @Get()
  @Roles('staff', 'member')
  async balance(@UuidParam() id: string, @CurrentPrincipal() principal: Principal) {
    assertCanAccessMember(principal, id);
    await this.members.get(this.db.reader, id);
    const [summary, { pointValueCents }] = await Promise.all([
      this.queries.balanceOf(this.db.reader, id),
      this.settings.programme(),
    ]);
    const available = Math.max(0, summary.balance);
    // What the spendable points are worth at the programme's point value, for the member area.
    return {
      memberId: id,
      ...summary,
      available,
      pointValueCents,
      valueCents: available * pointValueCents,
    };
  }

  @Get('entries')
  @Roles('staff', 'member')
  async entries(
    @UuidParam() id: string,
    @Query() query: PageQuery,
    @CurrentPrincipal() principal: Principal,
  ) {
    assertCanAccessMember(principal, id);
    await this.members.get(this.db.reader, id);
    return this.queries.entries(this.db.reader, id, query);
  }

  @Post('adjustments')
  @Roles('supervisor')
  @ApiIdempotencyKey()
  async adjust(
    @UuidParam() id: string,
    @Body() dto: AdjustPointsDto,
    @IdempotencyKeyHeader() key: string,
    @CurrentPrincipal() principal: Principal,
    @Ip() ip: string,
    @Res() reply: FastifyReply,
  ) {
    await this.members.get(this.db.reader, id);
    const actor = actorOf(principal);
    const response = await this.idempotency.execute(
      {
        scope: `points-adjustment:${actor.actorType}:${actor.actorId}`,
        key,
        requestHash: this.idempotency.requestHash(`adjust:${id}`, dto),
      },
      async (em) => {
        const result = await this.ledger.adjust(
          em,
          { memberId: id, points: dto.points, allowDebt: dto.reasonType === 'debt_correction' },
          { actor, reason: dto.reason.trim(), idempotencyKey: key },
        );
        await this.audit.log(em, {
          principal,
          action: 'points.adjust',
          entity: 'ledger_entry',
          entityId: result.entryId,
          memberId: id,
          ip,
          details: { points: dto.points },
        });
        return {
          status: 201,
          body: {
            entryId: result.entryId,
            memberId: id,
            points: dto.points,
            reason: dto.reason.trim(),
            balance: result.balance,
            pending: result.pending,
          },
        };
      },
    );
    sendIdempotent(reply, response);
  }
}
