import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, PageRenderer, Public } from '../../common';
import { AppConfig } from '../../config';
import { OptOutService } from './opt-out.service';

/**
 * The page an opt-out link opens. GET only asks (mail scanners follow links); the button, or a
 * mail client's RFC 8058 one-click POST, withdraws the consent.
 */
@ApiExcludeController()
@Controller()
export class OptOutPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly optOut: OptOutService,
    private readonly config: AppConfig,
  ) {}

  @Get('unsubscribe/:token')
  @Public()
  ask(@Param('token') token: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    let channel: string | null = null;
    try {
      channel = this.optOut.check(token).channel;
    } catch {
      // shown as an invalid link below
    }
    this.show(req, reply, channel ? 'ask' : 'invalid', channel, token);
  }

  @Post('unsubscribe/:token')
  @Public()
  @HttpCode(200)
  async withdraw(
    @Param('token') token: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    try {
      const { channel } = await this.optOut.withdrawByToken(token, {
        ip: req.ip,
        requestId: String(req.id),
      });
      this.show(req, reply, 'done', channel, token);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      reply.status(404);
      this.show(req, reply, 'invalid', null, token);
    }
  }

  private show(
    req: FastifyRequest,
    reply: FastifyReply,
    state: 'ask' | 'done' | 'invalid',
    channel: string | null,
    token: string,
  ) {
    const locale = this.pages.locale(req);
    const params = {
      programme: this.config.PROGRAMME_NAME,
      channel: channel ? this.pages.t(locale, `messaging.optOut.channel.${channel}`) : '',
    };
    this.pages.render(req, reply, 'unsubscribe', {
      title: 'messaging.optOut.title',
      state,
      ask: state === 'ask',
      done: state === 'done',
      action: `/unsubscribe/${encodeURIComponent(token)}`,
      confirmText: this.pages.t(locale, 'messaging.optOut.confirm', params),
      doneText: this.pages.t(locale, 'messaging.optOut.done', params),
    });
  }
}
