import { Body, Controller, Get, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import {
  assertCanAccessMember,
  CurrentPrincipal,
  Principal,
  Public,
  Roles,
  UuidParam,
} from '../../common';
import { CardsService } from '../cards';
import { EnrolMemberDto, PublicEnrolDto } from './dto/enrol-member.dto';
import { Member } from './member.entity';
import { EnrolResult, MembersService } from './members.service';

export function presentMember(member: Member, card?: { number: string; status: string } | null) {
  return {
    id: member.id,
    firstName: member.firstName,
    lastName: member.lastName,
    email: member.email,
    phone: member.phone,
    birthDate: member.birthDate,
    locale: member.locale,
    tier: member.tier,
    status: member.status,
    enrolmentChannel: member.enrolmentChannel,
    createdAt: member.createdAt,
    card: card ? { number: card.number, status: card.status } : null,
  };
}

const presentEnrolment = ({ member, card }: EnrolResult) => presentMember(member, card);

@ApiTags('members')
@Controller()
export class MembersController {
  constructor(
    private readonly members: MembersService,
    private readonly cards: CardsService,
  ) {}

  @Post('api/members')
  @Roles('staff')
  async enrol(
    @Body() dto: EnrolMemberDto,
    @CurrentPrincipal() principal: Principal,
    @Ip() ip: string,
  ) {
    return presentEnrolment(
      await this.members.enrol(dto, { principal, channel: dto.channel ?? 'till', ip }),
    );
  }

  @Post('api/public/enrol')
  @Public()
  @HttpCode(201)
  async publicEnrol(@Body() dto: PublicEnrolDto, @Ip() ip: string) {
    return presentEnrolment(await this.members.enrol(dto, { channel: 'web', ip }));
  }

  @Get('api/members/:id')
  @Roles('staff', 'member')
  async get(@UuidParam() id: string, @CurrentPrincipal() principal: Principal) {
    assertCanAccessMember(principal, id);
    const member = await this.members.get(id);
    const card = await this.cards.activeCardOf(id);
    return { ...presentMember(member, card), consents: await this.members.currentConsents(id) };
  }
}
