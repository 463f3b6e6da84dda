import { Body, Controller, Get, Ip, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Clock, CurrentPrincipal, MemberPrincipal, Public, Roles, UuidParam } from '../../common';
import { AppConfig } from '../../config';
import { sendPdf } from './cases.controller';
import { CasesService } from './cases.service';
import { caseNotFound, tooManyComplaints } from './cases.errors';
import { ConfirmCaseDto, MemberComplaintDto, PublicComplaintDto } from './dto/case.dto';
import { RateWindow } from './rate-window';

const HOUR_MS = 3600_000;

/** What a complaint answers: its number, deadline and receipt, nothing about anyone else. */
const answer = (c: {
  id: string;
  registryNumber: string;
  kind: string;
  status: string;
  dueAt: string;
  receiptUrl: string;
  createdAt: string;
}) => ({
  id: c.id,
  registryNumber: c.registryNumber,
  kind: c.kind,
  status: c.status,
  dueAt: c.dueAt,
  createdAt: c.createdAt,
  receiptUrl: c.receiptUrl,
});

/** The public complaint form's API, and a signed-in member's own cases. */
@ApiTags('cases')
@Controller('api')
export class ComplaintsController {
  private readonly byAddress: RateWindow;
  private readonly byEmail: RateWindow;

  constructor(
    private readonly cases: CasesService,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.byAddress = new RateWindow(config.COMPLAINT_RATE_LIMIT_PER_HOUR, HOUR_MS);
    this.byEmail = new RateWindow(config.COMPLAINT_RATE_LIMIT_PER_HOUR, HOUR_MS);
  }

  /** No sign-in: rate-limited per address and per email (429 past the limit). */
  @Post('public/complaints')
  @Public()
  async file(@Body() dto: PublicComplaintDto, @Ip() ip: string) {
    const now = this.clock.now().getTime();
    const okAddress = this.byAddress.take(ip || 'unknown', now);
    const okEmail = this.byEmail.take(dto.email.toLowerCase(), now);
    if (!okAddress || !okEmail) throw tooManyComplaints();
    const created = await this.cases.create(
      {
        kind: 'complaint',
        channel: 'web',
        contact: { name: dto.name, email: dto.email, phone: dto.phone ?? null },
        storeId: dto.storeId ?? null,
        category: dto.category ?? null,
        subject: dto.subject,
        description: dto.description,
        locale: dto.locale ?? 'es',
      },
      undefined,
    );
    return answer(created);
  }

  /** The receipt of a complaint filed without signing in: the link's token is the key. */
  @Get('public/cases/:id/receipt.pdf')
  @Public()
  async publicReceipt(
    @UuidParam() id: string,
    @Query('token') token: string | undefined,
    @Res() reply: FastifyReply,
  ) {
    if (typeof token !== 'string' || token.length < 16 || token.length > 100) throw caseNotFound();
    const row = await this.cases.caseByReceiptToken(id, token);
    sendPdf(reply, await this.cases.receiptPdf(row), row.registry_number);
  }

  /** A signed-in member's complaint, linked to their account (name and email from it). */
  @Post('me/complaints')
  @Roles('member')
  async fileAsMember(@Body() dto: MemberComplaintDto, @CurrentPrincipal() me: MemberPrincipal) {
    const created = await this.cases.create(
      {
        kind: 'complaint',
        channel: 'web',
        memberId: me.memberId,
        storeId: dto.storeId ?? null,
        purchaseId: dto.purchaseId ?? null,
        category: dto.category ?? null,
        subject: dto.subject,
        description: dto.description,
        locale: dto.locale ?? null,
      },
      me,
    );
    return answer(created);
  }

  @Get('me/cases')
  @Roles('member')
  mine(@CurrentPrincipal() me: MemberPrincipal) {
    return this.cases.memberCases(me.memberId);
  }

  @Get('me/cases/:id/receipt.pdf')
  @Roles('member')
  async myReceipt(
    @UuidParam() id: string,
    @CurrentPrincipal() me: MemberPrincipal,
    @Res() reply: FastifyReply,
  ) {
    const row = await this.cases.memberCase(me.memberId, id);
    sendPdf(reply, await this.cases.receiptPdf(row), row.registry_number);
  }

  /** The member says whether the resolution settled it. */
  @Post('me/cases/:id/confirm')
  @Roles('member')
  confirm(
    @UuidParam() id: string,
    @Body() dto: ConfirmCaseDto,
    @CurrentPrincipal() me: MemberPrincipal,
  ) {
    return this.cases.confirmByMember(me.memberId, id, dto.confirmed);
  }
}
