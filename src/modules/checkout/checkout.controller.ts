import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Principal, Roles, UuidParam } from '../../common';
import { ApiIdempotencyKey, IdempotencyKeyHeader, sendIdempotent } from '../idempotency';
import { PurchasesService } from './purchases.service';
import { RedemptionsService } from './redemptions.service';
import { ReturnsService } from './returns.service';
import { ScanService } from './scan.service';
import { CheckoutFiguresService } from './checkout-figures.service';
import { CheckoutPreviewService } from './checkout-preview.service';
import { CheckoutTicketsService } from './checkout-tickets.service';
import {
  BatchDto,
  PurchaseDto,
  RecentPurchasesQuery,
  RedemptionDto,
  ReturnDto,
  ScanDto,
  TicketReturnDto,
} from './dto/checkout.dto';

/** The till's API (cashiers and POS API keys). DESIGN.md §6. */
@ApiTags('checkout')
@Controller('api/checkout')
export class CheckoutController {
  constructor(
    private readonly scans: ScanService,
    private readonly purchases: PurchasesService,
    private readonly redemptions: RedemptionsService,
    private readonly returnsService: ReturnsService,
    private readonly previews: CheckoutPreviewService,
    private readonly tickets: CheckoutTicketsService,
    private readonly figures: CheckoutFiguresService,
  ) {}

  @Post('scan')
  @HttpCode(200)
  @Roles('cashier')
  scan(@Body() dto: ScanDto) {
    return this.scans.scan(dto.code);
  }

  @Post('purchases')
  @Roles('cashier')
  @ApiIdempotencyKey()
  async purchase(
    @Body() dto: PurchaseDto,
    @IdempotencyKeyHeader() key: string,
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ) {
    sendIdempotent(reply, await this.purchases.purchase(dto, principal, key));
  }

  @Post('purchases/batch')
  @HttpCode(200)
  @Roles('cashier')
  async batch(@Body() dto: BatchDto, @CurrentPrincipal() principal: Principal) {
    return { results: await this.purchases.batch(dto.items, principal) };
  }

  @Post('purchases/:id/returns')
  @Roles('cashier')
  @ApiIdempotencyKey()
  async returns(
    @UuidParam() id: string,
    @Body() dto: ReturnDto,
    @IdempotencyKeyHeader() key: string,
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ) {
    sendIdempotent(reply, await this.returnsService.returnLines(id, dto, principal, key));
  }

  @Post('redemptions')
  @Roles('cashier')
  @ApiIdempotencyKey()
  async redeem(
    @Body() dto: RedemptionDto,
    @IdempotencyKeyHeader() key: string,
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ) {
    sendIdempotent(reply, await this.redemptions.redeem(dto, principal, key));
  }

  /** What the basket would give, the same breakdown as the purchase; nothing is written. */
  @Post('preview')
  @HttpCode(200)
  @Roles('cashier')
  preview(@Body() dto: PurchaseDto, @CurrentPrincipal() principal: Principal) {
    return this.previews.preview(dto, principal);
  }

  /** A return by the shop's ticket number (`externalId` + store) or by purchase id. */
  @Post('returns')
  @Roles('cashier')
  @ApiIdempotencyKey()
  async returnByTicket(
    @Body() dto: TicketReturnDto,
    @IdempotencyKeyHeader() key: string,
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ) {
    sendIdempotent(reply, await this.tickets.returnByTicket(dto, principal, key));
  }

  /** The member's latest purchases, for a return at the till. */
  @Get('members/:id/purchases')
  @Roles('cashier')
  async recent(@UuidParam() id: string, @Query() query: RecentPurchasesQuery) {
    return { items: await this.tickets.recentPurchases(id, query.limit ?? 5) };
  }

  /** Balance, spendable, pending and rewards offered, read again after each operation. */
  @Get('members/:id/figures')
  @Roles('cashier')
  memberFigures(@UuidParam() id: string) {
    return this.figures.of(id);
  }
}
