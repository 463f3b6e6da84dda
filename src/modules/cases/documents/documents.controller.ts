import { Body, Controller, Get, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentPrincipal, Principal, Roles, UuidParam } from '../../../common';
import { AppConfig } from '../../../config';
import { MembersService } from '../../members';
import { documentKind, sendPdf } from '../cases.controller';
import { invalidCase } from '../cases.errors';
import { LegalHoldDto, RetentionDto } from '../dto/holiday.dto';
import { readUpload } from '../multipart-upload';
import { DocumentsService } from './documents.service';
import { TransactionRunner } from '../../../database';

/** Documents on file: a member's, versions, content, receipts, legal holds and retention. */
@ApiTags('documents')
@Controller('api')
export class DocumentsController {
  constructor(
    private readonly documents: DocumentsService,
    private readonly members: MembersService,
    private readonly config: AppConfig,
    private readonly db: TransactionRunner,
  ) {}

  @Post('members/:id/documents')
  @Roles('agent', 'supervisor')
  @ApiConsumes('multipart/form-data')
  async uploadForMember(
    @UuidParam() id: string,
    @Req() req: FastifyRequest,
    @CurrentPrincipal() p: Principal,
    @Res() reply: FastifyReply,
  ) {
    await this.members.get(this.db.reader, id);
    const upload = await readUpload(req, this.config.DOCUMENT_MAX_BYTES);
    const doc = await this.documents.upload(
      { memberId: id },
      documentKind(upload.fields.kind),
      upload,
      p,
    );
    void reply.status(201).send(doc);
  }

  @Get('documents/retention')
  @Roles('staff')
  async retention() {
    return { items: await this.documents.retention() };
  }

  @Put('documents/retention')
  @Roles('admin')
  async setRetention(@Body() dto: RetentionDto, @CurrentPrincipal() p: Principal) {
    return { items: await this.documents.setRetention(dto.kind, dto.days, p) };
  }

  @Get('documents/:id')
  @Roles('agent', 'supervisor')
  get(@UuidParam() id: string) {
    return this.documents.get(id);
  }

  @Get('documents/:id/content')
  @Roles('agent', 'supervisor')
  async content(
    @UuidParam() id: string,
    @Query('version') version: string | undefined,
    @CurrentPrincipal() p: Principal,
    @Res() reply: FastifyReply,
  ) {
    const n = version === undefined ? undefined : Number(version);
    if (n !== undefined && (!Number.isInteger(n) || n < 1))
      throw invalidCase('version', 'must be a positive integer');
    const file = await this.documents.content(id, n, p);
    void reply
      .type(file.contentType)
      .header('Content-Disposition', `attachment; filename="${file.fileName}"`)
      .header('X-Content-Type-Options', 'nosniff')
      .header('Cache-Control', 'private, no-store')
      .send(file.bytes);
  }

  @Get('documents/:id/receipt.pdf')
  @Roles('agent', 'supervisor')
  async receipt(@UuidParam() id: string, @Res() reply: FastifyReply) {
    const doc = await this.documents.get(id);
    sendPdf(reply, await this.documents.receiptPdf(id), doc.registryNumber);
  }

  /** A new version of the file (the old ones stay). */
  @Post('documents/:id/versions')
  @Roles('agent', 'supervisor')
  @ApiConsumes('multipart/form-data')
  async replace(
    @UuidParam() id: string,
    @Req() req: FastifyRequest,
    @CurrentPrincipal() p: Principal,
    @Res() reply: FastifyReply,
  ) {
    const upload = await readUpload(req, this.config.DOCUMENT_MAX_BYTES);
    void reply.status(201).send(await this.documents.replace(id, upload, p));
  }

  @Patch('documents/:id')
  @Roles('supervisor', 'admin')
  hold(@UuidParam() id: string, @Body() dto: LegalHoldDto, @CurrentPrincipal() p: Principal) {
    return this.documents.setLegalHold(id, dto.legalHold, dto.legalHoldReason ?? null, p);
  }
}
