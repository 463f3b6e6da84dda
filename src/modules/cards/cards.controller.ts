import { Controller, Get, Headers, HttpCode, Ip, Post, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { join } from 'node:path';
import {
  assertCanAccessMember,
  CurrentPrincipal,
  MemberPrincipal,
  Principal,
  Public,
  Roles,
  templatesDir,
  UuidParam,
} from '../../common';
import { Card } from './card.entity';
import { CardsService } from './cards.service';
import { CardQrQueryDto } from './dto/card-qr-query.dto';
import { GoogleWalletService } from './google-wallet.service';
import { PKPASS_TYPE } from './passkit.controller';
import { PasskitService } from './passkit.service';
import { qrPng, qrSvg } from './qr';

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
    private readonly passkit: PasskitService,
    private readonly googleWallet: GoogleWalletService,
  ) {}

  @Get('api/members/:id/card')
  @Roles('staff', 'member')
  async get(@UuidParam() id: string, @CurrentPrincipal() principal: Principal) {
    assertCanAccessMember(principal, id);
    const card = await this.cards.requireActiveCard(id);
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
    @Res() res: Response,
  ) {
    const { code, expiresIn } = await this.codeFor(principal, id, query.rotating === true);
    this.noStore(res, expiresIn);
    res.type('image/png').send(qrPng(code, { scale: query.scale }));
  }

  @Get('api/members/:id/card/qr.svg')
  @Roles('staff', 'member')
  @ApiProduces('image/svg+xml')
  @ApiOkResponse({ description: 'QR of the static code (or the rotating one with ?rotating=1)' })
  async qrSvg(
    @UuidParam() id: string,
    @Query() query: CardQrQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ) {
    const { code, expiresIn } = await this.codeFor(principal, id, query.rotating === true);
    this.noStore(res, expiresIn);
    res.type('image/svg+xml').send(await qrSvg(code));
  }

  @Get('api/members/:id/card/pass.pkpass')
  @Roles('staff', 'member')
  @ApiProduces(PKPASS_TYPE)
  @ApiOkResponse({ description: 'Apple Wallet store card (signed .pkpass)' })
  async applePass(
    @UuidParam() id: string,
    @CurrentPrincipal() principal: Principal,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() res: Response,
  ) {
    assertCanAccessMember(principal, id);
    const pass = await this.passkit.passForMember(id);
    const etag = `"${pass.etag}"`;
    res.setHeader('ETag', etag);
    res.setHeader('Last-Modified', pass.lastModified.toUTCString());
    res.setHeader('Cache-Control', 'private, no-cache');
    if (ifNoneMatch === etag) {
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Disposition', 'attachment; filename="card.pkpass"');
    res.type(PKPASS_TYPE).send(pass.buffer);
  }

  @Get('api/members/:id/card/google-wallet')
  @Roles('staff', 'member')
  @ApiOkResponse({
    description: '"Save to Google Wallet" link (RS256 JWT with a rotating barcode)',
  })
  async googleWalletLink(
    @UuidParam() id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    assertCanAccessMember(principal, id);
    res.setHeader('Cache-Control', 'private, no-store');
    return this.googleWallet.saveLinkFor(id);
  }

  /** The programme logo Google Wallet shows on the card (it fetches it from the class). */
  @Get('api/public/wallet/logo.png')
  @Public()
  @ApiProduces('image/png')
  walletLogo(@Res() res: Response) {
    res.setHeader('Cache-Control', 'public, max-age=86400');
    res.sendFile(join(templatesDir(), 'passes', 'loyalty.pass', 'icon@3x.png'));
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
    const card = await this.cards.requireActiveCard(me.memberId);
    const { code, expiresIn } = await this.cards.rotatingCodeOf(card);
    return {
      ...presentCard(card, this.cards.staticCodeOf(card)),
      rotatingCode: code,
      expiresIn,
    };
  }

  private async codeFor(principal: Principal, memberId: string, rotating: boolean) {
    assertCanAccessMember(principal, memberId);
    const card = await this.cards.requireActiveCard(memberId);
    if (!rotating) return { code: this.cards.staticCodeOf(card), expiresIn: null };
    const { code, expiresIn } = await this.cards.rotatingCodeOf(card);
    return { code, expiresIn };
  }

  private noStore(res: Response, expiresIn: number | null) {
    res.setHeader('Cache-Control', 'private, no-store');
    if (expiresIn !== null) res.setHeader('X-Code-Expires-In', String(expiresIn));
  }
}
