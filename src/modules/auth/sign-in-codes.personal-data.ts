import { Injectable, OnModuleInit } from '@nestjs/common';
import { PersonalDataRegistry } from '../../common';
import { MemberLoginCode } from './member-login-code.entity';

/**
 * A member's one-time sign-in codes: the export says when codes were asked for and used (never
 * the code); erasure spends them and drops their hash.
 */
@Injectable()
export class SignInCodesPersonalData implements OnModuleInit {
  constructor(private readonly registry: PersonalDataRegistry) {}

  onModuleInit(): void {
    this.registry.register({
      category: 'signInCodes',
      export: async (reader, memberId) => {
        const rows = await reader.find(MemberLoginCode, {
          where: { memberId },
          order: { createdAt: 'ASC' },
        });
        return rows.map((r) => ({ createdAt: r.createdAt, consumedAt: r.consumedAt }));
      },
      erase: async (tx, memberId) => {
        await tx.query(
          `UPDATE member_login_codes
              SET code_hash = 'erased', consumed_at = coalesce(consumed_at, now())
            WHERE member_id = $1`,
          [memberId],
        );
      },
    });
  }
}
