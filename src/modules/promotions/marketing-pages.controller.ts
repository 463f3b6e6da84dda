import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PageRenderer, Public } from '../../common';
import { CONDITION_SPECS, CONDITION_TYPES, EFFECT_TYPES } from './engine';
import { LIMIT_PERIODS } from './promotion.entity';
import { REWARD_KINDS } from './reward.entity';

/**
 * `/marketing`: promotions (list, form editor, simulate, publish/pause, versions), tiers and
 * rewards. The page is public HTML; its script signs marketing staff in through
 * `/login?next=/marketing` and calls the promotions API, where access is enforced.
 */
@ApiExcludeController()
@Controller()
export class MarketingPagesController {
  constructor(private readonly pages: PageRenderer) {}

  @Get('marketing')
  @Public()
  marketing(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    this.pages.render(req, reply, 'marketing', {
      title: 'marketing.title',
      scripts: ['marketing.js'],
      messages: ['marketing'],
      data: {
        currency: 'EUR',
        conditionTypes: CONDITION_TYPES.map((type) => ({
          type,
          kind: CONDITION_SPECS[type].kind,
          ops: CONDITION_SPECS[type].ops,
          targeted: !!CONDITION_SPECS[type].targeted,
        })),
        effectTypes: EFFECT_TYPES,
        limitPeriods: LIMIT_PERIODS,
        rewardKinds: REWARD_KINDS,
      },
    });
  }
}
