import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Actor, Public, RequestActor, Roles, UuidParam } from '../../../common';
import { AppConfig } from '../../../config';
import { readUpload } from '../../cases';
import { AttachmentContent, KbAttachmentsService } from './kb-attachments.service';

/** Files attached to knowledge articles: brochures and manuals. */
@ApiTags('knowledge base')
@Controller('api')
export class KbAttachmentsController {
  constructor(
    private readonly attachments: KbAttachmentsService,
    private readonly config: AppConfig,
  ) {}

  /** Multipart, field `file`: a PDF or an image, at most DOCUMENT_MAX_BYTES (413), else 415. */
  @Post('kb/articles/:id/attachments')
  @Roles('marketing', 'supervisor', 'admin')
  @ApiConsumes('multipart/form-data')
  async add(
    @UuidParam() id: string,
    @Req() req: FastifyRequest,
    @Actor() actor: RequestActor,
    @Res() reply: FastifyReply,
  ) {
    const upload = await readUpload(req, this.config.DOCUMENT_MAX_BYTES);
    void reply.status(201).send(await this.attachments.add(id, upload, actor));
  }

  @Get('kb/articles/:id/attachments/:attachmentId')
  @Roles('staff')
  async content(
    @UuidParam() id: string,
    @UuidParam('attachmentId') attachmentId: string,
    @Res() reply: FastifyReply,
  ) {
    send(reply, await this.attachments.content(id, attachmentId), 'private, no-store');
  }

  /** A public article's file, for its page and the links in messages sent to customers. */
  @Get('public/kb/:slug/attachments/:attachmentId')
  @Public()
  async publicContent(
    @Param('slug') slug: string,
    @UuidParam('attachmentId') attachmentId: string,
    @Res() reply: FastifyReply,
  ) {
    send(reply, await this.attachments.publicContent(slug, attachmentId), 'public, max-age=300');
  }
}

function send(reply: FastifyReply, file: AttachmentContent, cache: string) {
  // The name is the uploader's: ASCII fallback plus the UTF-8 form (RFC 6266).
  const ascii = file.fileName.replace(/[^\x20-\x7e]/g, '_').replace(/[\\"]/g, '_');
  void reply
    .type(file.contentType)
    .header(
      'Content-Disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    )
    .header('X-Content-Type-Options', 'nosniff')
    .header('Cache-Control', cache)
    .send(file.bytes);
}
