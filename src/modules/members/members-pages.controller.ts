import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { PageRenderer, Public } from '../../common';
import { AppConfig } from '../../config';
import { CONSENT_PURPOSES } from './consent.entity';
import { CONSENT_TEXT_VERSION } from './members.service';

/** The member's own pages: enrol (/join) and their card and data (/me). */
@ApiExcludeController()
@Controller()
export class MembersPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly config: AppConfig,
  ) {}

  @Get('join')
  @Public()
  join(@Req() req: Request, @Res() res: Response) {
    const optional = CONSENT_PURPOSES.filter((p) => p !== 'terms');
    this.pages.render(req, res, 'join', {
      title: 'join.title',
      scripts: ['join.js'],
      messages: ['join'],
      purposes: optional,
      minAge: this.config.MEMBER_MIN_AGE,
      textVersion: CONSENT_TEXT_VERSION,
      data: { minAge: this.config.MEMBER_MIN_AGE, purposes: optional },
    });
  }

  @Get('me')
  @Public()
  me(@Req() req: Request, @Res() res: Response) {
    this.pages.render(req, res, 'me', {
      title: 'me.title',
      scripts: ['me.js'],
      messages: ['me'],
      purposes: CONSENT_PURPOSES.filter((p) => p !== 'terms'),
      data: { purposes: CONSENT_PURPOSES.filter((p) => p !== 'terms'), qrRefreshSeconds: 30 },
    });
  }
}
