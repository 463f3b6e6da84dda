import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit';
import { CardsModule } from '../cards';
import { Consent } from './consent.entity';
import { MeController } from './me.controller';
import { Member } from './member.entity';
import { MembersPagesController } from './members-pages.controller';
import { MembersController } from './members.controller';
import { MembersService } from './members.service';
import { MemberSearchProvider } from './member-search.provider';
import { MembersTimelineContributor } from './members-timeline.contributor';
import { MemberReachService } from './member-reach.service';

@Module({
  imports: [TypeOrmModule.forFeature([Member, Consent]), AuditModule, CardsModule],
  controllers: [MembersController, MeController, MembersPagesController],
  providers: [MembersService, MembersTimelineContributor, MemberSearchProvider, MemberReachService],
  exports: [MembersService, MemberReachService],
})
export class MembersModule {}
