import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, PageRenderer, Principal, Roles } from '../../common';
import type { PageLocale } from '../../common';
import {
  CreateSnapshotDto,
  ListSnapshotsQuery,
  SatisfactionReportRequest,
} from './dto/satisfaction-report.dto';
import { ReportsService } from './reports.service';

@ApiTags('reports')
@Controller('api/reports/satisfaction')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly pages: PageRenderer,
  ) {}

  /** NPS, CSAT and response rate by group, with conclusions in the caller's language; CSV or SVG on request. */
  @Get()
  @Roles('supervisor', 'admin')
  async satisfaction(
    @Query() q: SatisfactionReportRequest,
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const report = await this.reports.satisfactionReport(q, this.locale(q.lang, req), principal);
    if (q.format === 'csv') {
      reply
        .type('text/csv; charset=utf-8')
        .header(
          'Content-Disposition',
          `attachment; filename="satisfaction-${report.groupBy}-${report.from}-${report.to}.csv"`,
        );
      return this.reports.csv(report);
    }
    if (q.format === 'svg') {
      reply.type('image/svg+xml; charset=utf-8');
      return this.reports.chart(report);
    }
    return report;
  }

  /** An improvement proposal saved with a snapshot of the report it answers. */
  @Post('snapshots')
  @Roles('supervisor', 'admin')
  saveProposal(
    @Body() dto: CreateSnapshotDto,
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest,
  ) {
    return this.reports.saveProposal(
      dto.query,
      dto.proposal,
      this.locale(dto.lang, req),
      principal,
    );
  }

  @Get('snapshots')
  @Roles('supervisor', 'admin')
  proposals(@Query() q: ListSnapshotsQuery, @CurrentPrincipal() principal: Principal) {
    return this.reports.proposals(q, principal);
  }

  private locale(lang: PageLocale | undefined, req: FastifyRequest): PageLocale {
    return lang ?? this.pages.locale(req);
  }
}
