import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, invalid, Principal, Roles } from '../../common';
import { ApiIdempotencyKey, IdempotencyKeyHeader, sendIdempotent } from '../idempotency';
import { ContactPurchaseDto } from './dto/followups.dto';
import { FollowupContactsService } from './followup-contacts.service';

/** The till's path for a customer without a card who agrees to follow-up (no points). */
@ApiTags('followup')
@Controller('api/followup/contact-purchases')
export class FollowupContactsController {
  constructor(private readonly contacts: FollowupContactsService) {}

  @Post()
  @Roles('cashier')
  @ApiIdempotencyKey()
  async create(
    @Body() dto: ContactPurchaseDto,
    @CurrentPrincipal() principal: Principal,
    @IdempotencyKeyHeader() key: string,
    @Res() reply: FastifyReply,
  ) {
    let storeId: string | undefined;
    if (principal.kind === 'pos') {
      if (dto.storeId && dto.storeId !== principal.storeId)
        throw invalid('storeId', 'a POS key records purchases of its own store only');
      storeId = principal.storeId;
    } else
      storeId =
        dto.storeId ?? (principal.kind === 'staff' ? principal.storeId : undefined) ?? undefined;
    if (!storeId) throw invalid('storeId', 'required');
    sendIdempotent(reply, await this.contacts.purchase(dto, storeId, principal, key));
  }
}
