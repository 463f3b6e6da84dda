import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PageRenderer, Public, STAFF_ROLES } from '../../common';
import { COMPLAINT_DEADLINES } from './programme-settings';

/** Common IANA zones offered first in the store form (any valid zone may be typed). */
const SUGGESTED_ZONES = ['Europe/Madrid', 'Atlantic/Canary', 'Europe/Lisbon', 'Europe/London'];

/**
 * `/admin`: stores, staff users, POS API keys, programme settings and product categories. The
 * page is public HTML; its script signs admins in through `/login?next=/admin` and calls the
 * admin API, where access is enforced.
 */
@ApiExcludeController()
@Controller()
export class AdminPagesController {
  constructor(private readonly pages: PageRenderer) {}

  @Get('admin')
  @Public()
  admin(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    this.pages.render(req, reply, 'admin', {
      title: 'admin.title',
      scripts: ['admin.js'],
      messages: ['admin'],
      roles: STAFF_ROLES.map((role) => ({ role, labelKey: `admin.role.${role}` })),
      deadlines: COMPLAINT_DEADLINES.map((value) => ({
        value,
        labelKey: `admin.settings.deadline.${value}`,
      })),
      zones: SUGGESTED_ZONES,
      data: { roles: STAFF_ROLES },
    });
  }
}
