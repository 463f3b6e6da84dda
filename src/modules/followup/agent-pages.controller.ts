import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PageRenderer, Public } from '../../common';
import { AppConfig } from '../../config';
import { OUTCOMES } from './followup-rules';

/** `/agent`: the follow-up desk (the page's script asks for an agent's session). */
@ApiExcludeController()
@Controller()
export class AgentPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly config: AppConfig,
  ) {}

  @Get('agent')
  @Public()
  agent(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    this.pages.render(req, reply, 'agent', {
      title: 'agent.title',
      scripts: ['agent.js'],
      messages: ['agent'],
      outcomes: OUTCOMES.map((o) => ({ value: o, key: `agent.outcome.${o}` })),
      data: { outcomes: OUTCOMES, programme: this.config.PROGRAMME_NAME },
    });
  }
}
