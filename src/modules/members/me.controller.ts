import { Body, Controller, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, MemberPrincipal, Roles } from '../../common';
import { ChangeOwnConsentsDto } from './dto/consents.dto';
import { CursorQuery } from './dto/search-members.dto';
import { UpdateOwnProfileDto } from './dto/update-member.dto';
import { MembersService } from './members.service';
import { ConsentsService } from './consents.service';
import { MemberPrivacyService } from './member-privacy.service';
import { Actor, RequestActor } from './request-actor';

/** A member's own session (the one-time code sign-in): always and only their own data. */
@ApiTags('me')
@Controller('api/me')
export class MeController {
  constructor(
    private readonly members: MembersService,
    private readonly consentsService: ConsentsService,
    private readonly privacy: MemberPrivacyService,
  ) {}

  @Get()
  @Roles('member')
  get(@CurrentPrincipal() me: MemberPrincipal, @Actor() actor: RequestActor) {
    return this.members.read(me.memberId, actor);
  }

  @Patch()
  @Roles('member')
  update(
    @CurrentPrincipal() me: MemberPrincipal,
    @Body() dto: UpdateOwnProfileDto,
    @Actor() actor: RequestActor,
  ) {
    return this.members.update(me.memberId, dto, actor);
  }

  @Get('consents')
  @Roles('member')
  consents(
    @CurrentPrincipal() me: MemberPrincipal,
    @Query() query: CursorQuery,
    @Actor() actor: RequestActor,
  ) {
    return this.consentsService.history(me.memberId, query, actor);
  }

  @Post('consents')
  @Roles('member')
  @HttpCode(200)
  changeConsents(
    @CurrentPrincipal() me: MemberPrincipal,
    @Body() dto: ChangeOwnConsentsDto,
    @Actor() actor: RequestActor,
  ) {
    return this.consentsService.change(me.memberId, dto.consents, 'web', actor);
  }

  @Get('export')
  @Roles('member')
  export(@CurrentPrincipal() me: MemberPrincipal, @Actor() actor: RequestActor) {
    return this.privacy.export(me.memberId, actor);
  }

  @Post('erase')
  @Roles('member')
  @HttpCode(200)
  erase(@CurrentPrincipal() me: MemberPrincipal, @Actor() actor: RequestActor) {
    return this.privacy.erase(me.memberId, actor);
  }
}
