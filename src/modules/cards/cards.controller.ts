import { Controller, Get, HttpCode, Ip, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  assertCanAccessMember,
  CurrentPrincipal,
  MemberPrincipal,
  Principal,
  Roles,
  UuidParam,
} from '../../common';
import { Card } from './card.entity';
import { CardsService } from './cards.service';
import { CardQrQueryDto } from './dto/card-qr-query.dto';
import { qrPng, qrSvg } from './qr';
import { TransactionRunner } from '../../database';

export function presentCard(card: Card, staticCode: string) {
  const base = `/api/members/${card.memberId}/card`;
  return {
    id: card.id,
    memberId: card.memberId,
    number: card.number,
    status: card.status,
    version: card.version,
    passSerial: card.passSerial,
    staticCode,
    createdAt: card.createdAt,
    links: {
      qrPng: `${base}/qr.png`,
      qrSvg: `${base}/qr.svg`,
      rotatingQrSvg: `${base}/qr.svg?rotating=1`,
      applePass: `${base}/pass.pkpass`,
      googleWallet: `${base}/google-wallet`,
    },
  };
}

@ApiTags('cards')
@Controller()
export class CardsController {
  constructor(
    private readonly cards: CardsService,
    private readonly db: TransactionRunner,
  ) {}

  @Get('api/members/:id/card')
  @Roles('staff', 'member')
  async get(@UuidParam() id: string, @CurrentPrincipal() principal: Principal) {
    assertCanAccessMember(principal, id);
    const card = await this.cards.requireActiveCard(this.db.reader, id);
    return presentCard(card, this.cards.staticCodeOf(card));
  }

  @Get('api/members/:id/card/qr.png')
  @Roles('staff', 'member')
  @ApiProduces('image/png')
  @ApiOkResponse({ description: 'QR of the static code (or the rotating one with ?rotating=1)' })
  async qrPng(
    @UuidParam() id: string,
    @Query() query: CardQrQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ) {
    const { code, expiresIn } = await this.codeFor(principal, id, query.rotating === true);
    this.noStore(reply, expiresIn);
    reply.type('image/png').send(qrPng(code, { scale: query.scale }));
  }

  @Get('api/members/:id/card/qr.svg')
  @Roles('staff', 'member')
  @ApiProduces('image/svg+xml')
  @ApiOkResponse({ description: 'QR of the static code (or the rotating one with ?rotating=1)' })
  async qrSvg(
    @UuidParam() id: string,
    @Query() query: CardQrQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ) {
    const { code, expiresIn } = await this.codeFor(principal, id, query.rotating === true);
    this.noStore(reply, expiresIn);
    reply.type('image/svg+xml; charset=utf-8').send(await qrSvg(code));
  }

  @Post('api/members/:id/card/replace')
  @Roles('staff')
  @HttpCode(201)
  async replace(
    @UuidParam() id: string,
    @CurrentPrincipal() principal: Principal,
    @Ip() ip: string,
  ) {
    const { card, old } = await this.cards.replace(id, { principal, ip });
    return { ...presentCard(card, this.cards.staticCodeOf(card)), replacedCardId: old.id };
  }

  /** The member's own card for the /me page: number, current rotating code, seconds left. */
  @Get('api/me/card')
  @Roles('member')
  async mine(@CurrentPrincipal() me: MemberPrincipal) {
    const card = await this.cards.requireActiveCard(this.db.reader, me.memberId);
    const { code, expiresIn } = await this.cards.rotatingCodeOf(this.db.reader, card);
    return {
      ...presentCard(card, this.cards.staticCodeOf(card)),
      rotatingCode: code,
      expiresIn,
    };
  }

  private async codeFor(principal: Principal, memberId: string, rotating: boolean) {
    assertCanAccessMember(principal, memberId);
    const card = await this.cards.requireActiveCard(this.db.reader, memberId);
    if (!rotating) return { code: this.cards.staticCodeOf(card), expiresIn: null };
    const { code, expiresIn } = await this.cards.rotatingCodeOf(this.db.reader, card);
    return { code, expiresIn };
  }

  private noStore(reply: FastifyReply, expiresIn: number | null) {
    reply.header('Cache-Control', 'private, no-store');
    if (expiresIn !== null) reply.header('X-Code-Expires-In', String(expiresIn));
  }
}
