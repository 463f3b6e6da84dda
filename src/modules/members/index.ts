export { MembersModule } from './members.module';
export { MembersService, CONSENT_TEXT_VERSION } from './members.service';
export type { EnrolResult } from './members.service';
export { Member } from './member.entity';
export type { Locale, MemberStatus, EnrolmentChannel } from './member.entity';
export { CONSENT_PURPOSES } from './consent.entity';
export type { ConsentPurpose } from './consent.entity';
export { EnrolMemberDto } from './dto/enrol-member.dto';
export { MembersError, MembersErrorCode } from './members.errors';
