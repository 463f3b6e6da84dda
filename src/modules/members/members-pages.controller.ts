import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PageRenderer, Public } from '../../common';
import { AppConfig } from '../../config';
import { CONSENT_PURPOSES } from './consent.entity';
import { CONSENT_TEXT_VERSION } from './consents.service';

/** Purposes a member chooses freely (the terms are required and shown apart). */
const OPTIONAL_PURPOSES = CONSENT_PURPOSES.filter((p) => p !== 'terms');

/** Each purpose with the keys of its plain-words label and explanation (templates/i18n). */
const consentItems = (area: 'join' | 'me') =>
  OPTIONAL_PURPOSES.map((purpose) => ({
    purpose,
    labelKey: `${area}.purpose.${purpose}`,
    helpKey: `${area}.purpose.${purpose}.help`,
  }));

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
  join(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    this.pages.render(req, reply, 'join', {
      title: 'join.title',
      scripts: ['join.js'],
      messages: ['join'],
      consentItems: consentItems('join'),
      minAge: this.config.MEMBER_MIN_AGE,
      textVersion: CONSENT_TEXT_VERSION,
      data: { minAge: this.config.MEMBER_MIN_AGE, purposes: OPTIONAL_PURPOSES },
    });
  }

  @Get('me')
  @Public()
  me(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    this.pages.render(req, reply, 'me', {
      title: 'me.title',
      scripts: ['me.js'],
      messages: ['me'],
      consentItems: consentItems('me'),
      data: { purposes: OPTIONAL_PURPOSES, qrRefreshSeconds: 30 },
    });
  }
}
