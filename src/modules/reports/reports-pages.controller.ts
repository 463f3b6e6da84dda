import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PageRenderer, Public } from '../../common';
import { GROUP_BY } from './dto/satisfaction-report.dto';

/**
 * /supervisor/reports: the page shell; its script signs in as staff and asks the API for the
 * report, the chart (SVG drawn on the server), the CSV and the proposals.
 */
@ApiExcludeController()
@Controller()
export class ReportsPagesController {
  constructor(private readonly pages: PageRenderer) {}

  @Get('supervisor/reports')
  @Public()
  page(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    this.pages.render(req, reply, 'reports', {
      title: 'reports.title',
      scripts: ['reports.js'],
      messages: ['reports'],
      groupByOptions: GROUP_BY.map((g) => ({ value: g, labelKey: `reports.dimension.${g}` })),
    });
  }
}
