import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PageRenderer, Public } from '../../common';

/** The public pages of the programme: home and the staff sign-in. */
@ApiExcludeController()
@Controller()
export class AuthPagesController {
  constructor(private readonly pages: PageRenderer) {}

  @Get()
  @Public()
  home(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    this.pages.render(req, reply, 'home', { title: 'home.title' });
  }

  @Get('login')
  @Public()
  login(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    this.pages.render(req, reply, 'login', {
      title: 'login.title',
      scripts: ['login.js'],
      messages: ['login'],
    });
  }
}
