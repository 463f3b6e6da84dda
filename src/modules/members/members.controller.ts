import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { assertCanAccessMember, CurrentPrincipal, Principal, Roles, UuidParam } from '../../common';
import { ChangeConsentsDto } from './dto/consents.dto';
import { EnrolMemberDto } from './dto/enrol-member.dto';
import { CursorQuery, SearchMembersQuery } from './dto/search-members.dto';
import { UpdateMemberDto } from './dto/update-member.dto';
import { presentMember } from './members.presenter';
import { EnrolResult, MembersService } from './members.service';
import { ConsentsService } from './consents.service';
import { MemberPrivacyService } from './member-privacy.service';
import { MemberSearchService } from './member-search.service';
import { Actor, RequestActor } from './request-actor';

const presentEnrolment = ({ member, card }: EnrolResult) => presentMember(member, card);

/** Staff who may change a member's personal data (marketing reads, never edits). */
const EDITORS = ['cashier', 'agent', 'supervisor', 'admin'] as const;

@ApiTags('members')
@Controller()
export class MembersController {
  constructor(
    private readonly members: MembersService,
    private readonly consentsService: ConsentsService,
    private readonly privacy: MemberPrivacyService,
    private readonly finder: MemberSearchService,
  ) {}

  /** Enrolment at the till or by phone: the member with their new card. */
  @Post('api/members')
  @Roles('staff')
  async enrol(@Body() dto: EnrolMemberDto, @Actor() actor: RequestActor) {
    return presentEnrolment(
      await this.members.enrol(dto, { ...actor, channel: dto.channel ?? 'till' }),
    );
  }

  /** Search by name, email, phone or card number; `{ items, nextCursor }`. */
  @Get('api/members')
  @Roles('staff')
  search(@Query() query: SearchMembersQuery, @Actor() actor: RequestActor) {
    return this.finder.search(query, actor);
  }

  @Get('api/members/:id')
  @Roles('staff', 'member')
  get(
    @UuidParam() id: string,
    @CurrentPrincipal() principal: Principal,
    @Actor() actor: RequestActor,
  ) {
    assertCanAccessMember(principal, id);
    return this.members.read(id, actor);
  }

  /** Staff correct a profile; a member changes their own through `PATCH /api/me`. */
  @Patch('api/members/:id')
  @Roles(...EDITORS)
  update(@UuidParam() id: string, @Body() dto: UpdateMemberDto, @Actor() actor: RequestActor) {
    return this.members.update(id, dto, actor);
  }

  /** Consent history, newest first. */
  @Get('api/members/:id/consents')
  @Roles('staff', 'member')
  consents(
    @UuidParam() id: string,
    @Query() query: CursorQuery,
    @CurrentPrincipal() principal: Principal,
    @Actor() actor: RequestActor,
  ) {
    assertCanAccessMember(principal, id);
    return this.consentsService.history(id, query, actor);
  }

  /** Grant or withdraw consents (appends to the history). */
  @Post('api/members/:id/consents')
  @Roles(...EDITORS, 'member')
  @HttpCode(200)
  changeConsents(
    @UuidParam() id: string,
    @Body() dto: ChangeConsentsDto,
    @CurrentPrincipal() principal: Principal,
    @Actor() actor: RequestActor,
  ) {
    assertCanAccessMember(principal, id);
    const channel = principal.kind === 'member' ? 'web' : (dto.channel ?? 'till');
    return this.consentsService.change(id, dto.consents, channel, actor);
  }

  /** GDPR access and portability: every category of the member's data as JSON. */
  @Get('api/members/:id/export')
  @Roles('supervisor', 'member')
  export(
    @UuidParam() id: string,
    @CurrentPrincipal() principal: Principal,
    @Actor() actor: RequestActor,
  ) {
    assertCanAccessMember(principal, id);
    return this.privacy.export(id, actor);
  }

  /** GDPR erasure: personal data removed, cards blocked, books kept. */
  @Post('api/members/:id/erase')
  @Roles('supervisor', 'member')
  @HttpCode(200)
  erase(
    @UuidParam() id: string,
    @CurrentPrincipal() principal: Principal,
    @Actor() actor: RequestActor,
  ) {
    assertCanAccessMember(principal, id);
    return this.privacy.erase(id, actor);
  }
}
