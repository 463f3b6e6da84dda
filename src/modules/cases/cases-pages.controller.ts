import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PageRenderer, Public } from '../../common';
import { StoresService } from '../stores';
import { CASE_KINDS, CASE_STATUSES } from './case-rules';
import { DOCUMENT_KINDS } from './documents/documents.repository';

export const COMPLAINT_CATEGORIES = [
  'product',
  'service',
  'billing',
  'delivery',
  'warranty',
  'other',
];

/** The public complaint form and the supervisor's desk (the desk checks the role in its script). */
@ApiExcludeController()
@Controller()
export class CasesPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly stores: StoresService,
  ) {}

  @Get('complaints')
  @Public()
  async complaints(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const stores = (await this.stores.list())
      .filter((s) => s.active)
      .map((s) => ({ id: s.id, name: s.name }));
    this.pages.render(req, reply, 'complaints', {
      title: 'cases.complaints.title',
      scripts: ['complaints.js'],
      messages: ['cases'],
      stores,
      categories: COMPLAINT_CATEGORIES.map((c) => ({ code: c, labelKey: `cases.category.${c}` })),
      data: {},
    });
  }

  /** The departments (case queues), linked from /admin; the script checks the admin role. */
  @Get('admin/departments')
  @Public()
  departments(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    this.pages.render(req, reply, 'departments', {
      title: 'cases.departments.title',
      scripts: ['departments.js'],
      messages: ['cases'],
      data: {},
    });
  }

  @Get('supervisor')
  @Public()
  supervisor(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    this.pages.render(req, reply, 'supervisor', {
      title: 'cases.supervisor.title',
      scripts: ['supervisor.js'],
      messages: ['cases'],
      docKinds: DOCUMENT_KINDS.map((k) => ({ code: k, labelKey: `cases.docKind.${k}` })),
      data: { kinds: CASE_KINDS, statuses: CASE_STATUSES, docKinds: DOCUMENT_KINDS },
    });
  }
}
