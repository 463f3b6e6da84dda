import { Controller, Get, Headers, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
// reply.sendFile() is @fastify/static's (registered for /assets/ in app.setup.ts).
import type {} from '@fastify/static';
import type { FastifyReply } from 'fastify';
import { join } from 'node:path';
import {
  assertCanAccessMember,
  CurrentPrincipal,
  Principal,
  Public,
  Roles,
  templatesDir,
  UuidParam,
} from '../../common';
import { GoogleWalletService } from './google-wallet.service';
import { PKPASS_TYPE } from './passkit.controller';
import { PasskitService } from './passkit.service';

/** The member's card in Apple Wallet and Google Wallet. */
@ApiTags('cards')
@Controller()
export class WalletController {
  constructor(
    private readonly passkit: PasskitService,
    private readonly googleWallet: GoogleWalletService,
  ) {}

  @Get('api/members/:id/card/pass.pkpass')
  @Roles('staff', 'member')
  @ApiProduces(PKPASS_TYPE)
  @ApiOkResponse({ description: 'Apple Wallet store card (signed .pkpass)' })
  async applePass(
    @UuidParam() id: string,
    @CurrentPrincipal() principal: Principal,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() reply: FastifyReply,
  ) {
    assertCanAccessMember(principal, id);
    const pass = await this.passkit.passForMember(id);
    const etag = `"${pass.etag}"`;
    reply.headers({
      ETag: etag,
      'Last-Modified': pass.lastModified.toUTCString(),
      'Cache-Control': 'private, no-cache',
    });
    if (ifNoneMatch === etag) {
      reply.status(304).send();
      return;
    }
    reply
      .header('Content-Disposition', 'attachment; filename="card.pkpass"')
      .type(PKPASS_TYPE)
      .send(pass.buffer);
  }

  @Get('api/members/:id/card/google-wallet')
  @Roles('staff', 'member')
  @ApiOkResponse({
    description: '"Save to Google Wallet" link (RS256 JWT with a rotating barcode)',
  })
  async googleWalletLink(
    @UuidParam() id: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    assertCanAccessMember(principal, id);
    reply.header('Cache-Control', 'private, no-store');
    return this.googleWallet.saveLinkFor(id);
  }

  /** The programme logo Google Wallet shows on the card (it fetches it from the class). */
  @Get('api/public/wallet/logo.png')
  @Public()
  @ApiProduces('image/png')
  walletLogo(@Res() reply: FastifyReply) {
    // Cache-Control: public, max-age=86400; no ETag, as for any API answer.
    reply.sendFile('icon@3x.png', join(templatesDir(), 'passes', 'loyalty.pass'), {
      maxAge: '1d',
      etag: false,
    });
  }
}
