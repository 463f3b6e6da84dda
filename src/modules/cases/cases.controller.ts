import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, Principal, Roles, UuidParam } from '../../common';
import { AppConfig } from '../../config';
import { CasePeriodFiguresService } from './case-period-figures.service';
import { CasesService } from './cases.service';
import { invalidCase } from './cases.errors';
import {
  BreachesQuery,
  CaseFiguresQuery,
  CaseEventDto,
  CloseCaseDto,
  CreateCaseDto,
  DeskQuery,
  ListCasesQuery,
  ResolveCaseDto,
} from './dto/case.dto';
import { DOCUMENT_KINDS, DocumentKind } from './documents/documents.repository';
import { DepartmentsService } from './departments/departments.service';
import { DocumentsService } from './documents/documents.service';
import { readUpload } from './multipart-upload';

export function sendPdf(reply: FastifyReply, pdf: Buffer, name: string) {
  void reply
    .type('application/pdf')
    .header('Content-Disposition', `inline; filename="${name}.pdf"`)
    .header('Cache-Control', 'private, no-store')
    .send(pdf);
}

export function documentKind(value: string | undefined): DocumentKind {
  if (!value || !(DOCUMENT_KINDS as readonly string[]).includes(value))
    throw invalidCase('kind', `must be one of ${DOCUMENT_KINDS.join(', ')}`);
  return value as DocumentKind;
}

/** Cases for agents and supervisors: create, list, read, work, resolve, close, receipts, files. */
@ApiTags('cases')
@Controller('api/cases')
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly documents: DocumentsService,
    private readonly departments: DepartmentsService,
    private readonly figureService: CasePeriodFiguresService,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @Roles('agent', 'supervisor')
  create(@Body() dto: CreateCaseDto, @CurrentPrincipal() principal: Principal) {
    return this.cases.create(dto, principal);
  }

  @Get()
  @Roles('agent', 'supervisor')
  async list(@Query() q: ListCasesQuery, @CurrentPrincipal() p: Principal) {
    return this.cases.list({
      ...q,
      department: await this.departments.resolveQueue(q.department, p),
    });
  }

  /** The supervisor's queue: escalations and breaches first, then by the 80 % mark. */
  @Get('desk')
  @Roles('agent', 'supervisor')
  async desk(@Query() q: DeskQuery, @CurrentPrincipal() p: Principal) {
    const department = await this.departments.resolveQueue(q.department, p);
    return { items: await this.cases.desk(100, department) };
  }

  /** Breached cases by the local date of their deadline (each store's time zone). */
  @Get('breaches')
  @Roles('supervisor')
  async breaches(@Query() q: BreachesQuery) {
    return { items: await this.cases.breaches(q.from, q.to) };
  }

  /** Case figures of a period of local dates (each store's calendar, never UTC's). */
  @Get('figures')
  @Roles('supervisor')
  figures(@Query() q: CaseFiguresQuery, @CurrentPrincipal() p: Principal) {
    return this.figureService.figures(q, p);
  }

  /** Deadline settings (the complaint legal deadline and its candidates), for admin pages. */
  @Get('settings')
  @Roles('staff')
  settings() {
    return this.cases.settings();
  }

  @Get(':id')
  @Roles('agent', 'supervisor')
  get(@UuidParam() id: string) {
    return this.cases.get(id);
  }

  @Post(':id/events')
  @Roles('agent', 'supervisor')
  @HttpCode(201)
  event(@UuidParam() id: string, @Body() dto: CaseEventDto, @CurrentPrincipal() p: Principal) {
    return this.cases.addEvent(id, dto, p);
  }

  @Post(':id/resolve')
  @Roles('agent', 'supervisor')
  @HttpCode(200)
  resolve(@UuidParam() id: string, @Body() dto: ResolveCaseDto, @CurrentPrincipal() p: Principal) {
    return this.cases.resolve(id, dto, p);
  }

  @Post(':id/close')
  @Roles('agent', 'supervisor')
  @HttpCode(200)
  close(@UuidParam() id: string, @Body() dto: CloseCaseDto, @CurrentPrincipal() p: Principal) {
    return this.cases.close(id, dto, p);
  }

  @Get(':id/receipt.pdf')
  @Roles('agent', 'supervisor')
  async receipt(@UuidParam() id: string, @Res() reply: FastifyReply) {
    const row = await this.cases.row(id);
    sendPdf(reply, await this.cases.receiptPdf(row), row.registry_number);
  }

  @Get(':id/documents')
  @Roles('agent', 'supervisor')
  async listDocuments(@UuidParam() id: string) {
    await this.cases.row(id);
    return this.documents.forCase(id);
  }

  @Post(':id/documents')
  @Roles('agent', 'supervisor')
  @ApiConsumes('multipart/form-data')
  async upload(
    @UuidParam() id: string,
    @Req() req: FastifyRequest,
    @CurrentPrincipal() p: Principal,
    @Res() reply: FastifyReply,
  ) {
    const upload = await readUpload(req, this.config.DOCUMENT_MAX_BYTES);
    const doc = await this.documents.upload(
      { caseId: id },
      documentKind(upload.fields.kind),
      upload,
      p,
    );
    void reply.status(201).send(doc);
  }
}
