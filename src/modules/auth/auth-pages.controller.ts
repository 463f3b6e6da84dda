import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { PageRenderer, Public } from '../../common';

/** The public pages of the programme: home and the staff sign-in. */
@ApiExcludeController()
@Controller()
export class AuthPagesController {
  constructor(private readonly pages: PageRenderer) {}

  @Get()
  @Public()
  home(@Req() req: Request, @Res() res: Response) {
    this.pages.render(req, res, 'home', { title: 'home.title' });
  }

  @Get('login')
  @Public()
  login(@Req() req: Request, @Res() res: Response) {
    this.pages.render(req, res, 'login', {
      title: 'login.title',
      scripts: ['login.js'],
      messages: ['login'],
    });
  }
}
