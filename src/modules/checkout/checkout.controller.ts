import { Body, Controller, HttpCode, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Principal, Roles, UuidParam } from '../../common';
import { ApiIdempotencyKey, IdempotencyKeyHeader, sendIdempotent } from '../idempotency';
import { PurchasesService } from './purchases.service';
import { RedemptionsService } from './redemptions.service';
import { ReturnsService } from './returns.service';
import { ScanService } from './scan.service';
import { BatchDto, PurchaseDto, RedemptionDto, ReturnDto, ScanDto } from './dto/checkout.dto';

/** The till's API (cashiers and POS API keys). DESIGN.md §6. */
@ApiTags('checkout')
@Controller('api/checkout')
export class CheckoutController {
  constructor(
    private readonly scans: ScanService,
    private readonly purchases: PurchasesService,
    private readonly redemptions: RedemptionsService,
    private readonly returnsService: ReturnsService,
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
}
