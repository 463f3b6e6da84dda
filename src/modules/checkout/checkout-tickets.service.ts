import { Injectable } from '@nestjs/common';
import { Principal } from '../../common';
import { TransactionRunner } from '../../database';
import type { IdempotentResponse } from '../idempotency';
import { CheckoutError, CheckoutErrorCode, storeRequired, wrongStore } from './checkout.errors';
import { ReturnsService } from './returns.service';
import { CheckoutTicketsRepository } from './checkout-tickets.repository';
import { TicketReturnDto } from './dto/checkout.dto';

/**
 * Returns as the shop knows them: by the ticket number printed on the receipt (unique per
 * store) or from the member's latest purchases at the till.
 */
@Injectable()
export class CheckoutTicketsService {
  constructor(
    private readonly db: TransactionRunner,
    private readonly repo: CheckoutTicketsRepository,
    private readonly checkout: ReturnsService,
  ) {}

  async returnByTicket(
    dto: TicketReturnDto,
    principal: Principal,
    key: string,
  ): Promise<IdempotentResponse> {
    const { purchaseId, externalId, ...ret } = dto;
    const id = purchaseId ?? (await this.findTicket(externalId!, dto.storeId, principal));
    return this.checkout.returnLines(id, ret, principal, key);
  }

  recentPurchases(memberId: string, limit = 5) {
    return this.repo.recentOf(this.db.reader, memberId, limit);
  }

  private async findTicket(
    externalId: string,
    storeId: string | undefined,
    principal: Principal,
  ): Promise<string> {
    let store = storeId;
    if (principal.kind === 'pos') {
      if (store && store !== principal.storeId) throw wrongStore();
      store = principal.storeId;
    }
    store ??= principal.kind === 'staff' ? (principal.storeId ?? undefined) : undefined;
    if (!store) throw storeRequired();
    const id = await this.repo.idByTicket(this.db.reader, store, externalId.trim());
    if (!id) throw ticketNotFound();
    return id;
  }
}

const ticketNotFound = () =>
  new CheckoutError(
    'not_found',
    CheckoutErrorCode.PurchaseNotFound,
    'no purchase with this ticket number in this store',
    [{ field: 'externalId', reason: 'no such ticket in this store' }],
  );
