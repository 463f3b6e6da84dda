import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit';
import { CardsModule } from '../cards';
import { Consent } from './consent.entity';
import { ConsentsService } from './consents.service';
import { MeController } from './me.controller';
import { MemberPrivacyService } from './member-privacy.service';
import { MemberSearchRepository } from './member-search.repository';
import { MemberSearchService } from './member-search.service';
import { MemberTagsController } from './member-tags.controller';
import { MemberTagsService } from './member-tags.service';
import { Member } from './member.entity';
import { MembersPagesController } from './members-pages.controller';
import { MembersController } from './members.controller';
import { MembersRepository } from './members.repository';
import { MembersService } from './members.service';
import { MemberSearchProvider } from './member-search.provider';
import { MembersTimelineContributor } from './members-timeline.contributor';
import { MemberReachService } from './member-reach.service';

@Module({
  imports: [TypeOrmModule.forFeature([Member, Consent]), AuditModule, CardsModule],
  controllers: [MembersController, MeController, MemberTagsController, MembersPagesController],
  providers: [
    MembersRepository,
    MemberSearchRepository,
    MembersService,
    ConsentsService,
    MemberSearchService,
    MemberPrivacyService,
    MemberTagsService,
    MembersTimelineContributor,
    MemberSearchProvider,
    MemberReachService,
  ],
  exports: [
    MembersService,
    ConsentsService,
    MemberSearchService,
    MemberPrivacyService,
    MemberTagsService,
    MemberReachService,
  ],
})
export class MembersModule {}
