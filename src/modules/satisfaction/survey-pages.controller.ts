import { Controller, Get, Param, Req, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PageRenderer, Public } from '../../common';
import { StoresService } from '../stores';
import { SatisfactionService } from './satisfaction.service';
import { SurveyRateLimitGuard } from './survey-rate-limit.guard';

const STATUS = { open: 200, answered: 409, expired: 410, unknown: 404 } as const;

/** `/s/:token`: the survey a customer opens from an email or SMS, in their language. */
@ApiExcludeController()
@Controller()
export class SurveyPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly satisfaction: SatisfactionService,
    private readonly stores: StoresService,
  ) {}

  @Get('s/:token')
  @Public()
  @UseGuards(SurveyRateLimitGuard)
  async survey(
    @Param('token') token: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const view = await this.satisfaction.view(token.slice(0, 200));
    const lang = (req.query as { lang?: unknown } | undefined)?.lang;
    if (view.locale && lang === undefined) {
      // The customer's own language first (the page's switcher still works).
      return reply.redirect(`/s/${encodeURIComponent(token)}?lang=${view.locale}`, 302);
    }
    const storeName = view.storeId
      ? await this.stores.get(view.storeId).then(
          (s) => s.name,
          () => null,
        )
      : null;
    reply.status(STATUS[view.state]);
    this.pages.render(req, reply, 'survey', {
      title: 'survey.title',
      scripts: ['survey.js'],
      messages: ['survey'],
      state: view.state,
      open: view.state === 'open',
      kind: view.kind,
      storeName,
      scale: view.kind === 'nps' ? range(0, 10) : range(1, 5),
      data: { token, kind: view.kind, state: view.state },
    });
  }
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => from + i);
