export { MembersModule } from './members.module';
export { MembersService } from './members.service';
export type { EnrolResult, MemberDetail, PromotionFacts } from './members.service';
export { ConsentsService } from './consents.service';
export { MemberSearchService } from './member-search.service';
export type { MemberSearchItem } from './member-search.service';
export { MemberPrivacyService } from './member-privacy.service';
export type { ErasureResult } from './member-privacy.service';
export { MemberTagsService } from './member-tags.service';
export type { Member } from './member.entity';
export type { Locale, MemberStatus, EnrolmentChannel } from './member.entity';
export type { ConsentPurpose } from './consent.entity';
export type { EnrolMemberDto } from './dto/enrol-member.dto';
// The body of the public enrolment, which the auth module answers (it sends the codes).
export { PublicEnrolDto } from './dto/enrol-member.dto';
export { MembersError, MembersErrorCode } from './members.errors';
export type { RequestActor } from './request-actor';
export { MemberReachService } from './member-reach.service';
export type { MemberReach } from './member-reach.service';
