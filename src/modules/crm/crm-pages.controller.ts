import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, PageRenderer, Public } from '../../common';
import { sizeLabel } from './kb/attachment-names';
import { publicAttachmentPath } from './kb/kb-attachments.service';
import { KnowledgeBaseService } from './kb/knowledge-base.service';

/**
 * `/crm` (customer 360 for agents and supervisors: search, timeline, knowledge base) and the
 * public knowledge-base pages `/kb/<slug>` and `/terms`. The CRM page is public HTML; its script
 * signs staff in through `/login?next=/crm`, and the API enforces access.
 */
@ApiExcludeController()
@Controller()
export class CrmPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly kb: KnowledgeBaseService,
  ) {}

  @Get('crm')
  @Public()
  crm(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    this.pages.render(req, reply, 'crm', {
      title: 'crm.title',
      scripts: ['crm.js'],
      messages: ['crm'],
      data: {},
    });
  }

  @Get('terms')
  @Public()
  terms(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.article(KnowledgeBaseService.TERMS_SLUG, req, reply);
  }

  @Get('kb/:slug')
  @Public()
  async article(
    @Param('slug') slug: string,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const locale = this.pages.locale(req);
    try {
      const article = await this.kb.publicArticle(slug);
      const v = article.version;
      const body = locale === 'en' ? v.bodyEn : v.bodyEs;
      this.pages.render(req, reply, 'kb-article', {
        title: locale === 'en' ? v.titleEn : v.titleEs,
        messages: ['kb'],
        heading: locale === 'en' ? v.titleEn : v.titleEs,
        paragraphs: body
          .split(/\n\s*\n/)
          .map((p) => p.trim())
          .filter(Boolean),
        version: v.version,
        updatedAt: new Date(v.createdAt).toISOString().slice(0, 10),
        attachments: (article.attachments ?? []).map((a) => ({
          fileName: a.fileName,
          href: publicAttachmentPath(article.slug, a.id),
          size: sizeLabel(a.sizeBytes),
        })),
      });
    } catch (err) {
      if (!(err instanceof DomainError) || err.kind !== 'not_found') throw err;
      reply.code(404);
      this.pages.render(req, reply, 'kb-article', {
        title: 'kb.notFound',
        messages: ['kb'],
        missing: true,
      });
    }
  }
}
