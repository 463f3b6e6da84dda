import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Principal } from '../../common';
import { AppConfig } from '../../config';
import { PG_ERROR, pgCode, pgConstraint } from '../../database';
import { CardsService } from '../cards';
import { MembersService } from '../members';
import {
  memberInactive,
  rotatingCodeRequired,
  notYourStore,
  storeInactive,
  storeNotFound,
  storeRequired,
  wrongStore,
} from './checkout.errors';

/** Who is buying: the member a code or a member id names, refused if not active. */
@Injectable()
export class TillMembers {
  constructor(
    private readonly cards: CardsService,
    private readonly members: MembersService,
    private readonly config: AppConfig,
  ) {}

  /** The member a code or a member id names (a code's refusal is the card's CardsError). */
  async memberOf(
    em: EntityManager,
    dto: { code?: string; memberId?: string },
    spending = false,
  ): Promise<string> {
    const requireRotating = spending && this.config.REDEMPTION_REQUIRES_ROTATING_CODE;
    if (requireRotating && !dto.code) throw rotatingCodeRequired();
    if (dto.memberId && !requireRotating) {
      const member = await this.members.brief(em, dto.memberId);
      if (member.status !== 'active') throw memberInactive();
      return member.id;
    }
    return (await this.cards.resolveCode(em, dto.code!, { requireRotating })).memberId;
  }
}

/**
 * The store of the operation: a POS key's or a store-bound user's own (another is a 403), else
 * the body's.
 */
export function storeOf(principal: Principal, storeId: string | undefined): string;
export function storeOf(
  principal: Principal,
  storeId: string | undefined,
  opts: { optional: true },
): string | null;
export function storeOf(
  principal: Principal,
  storeId: string | undefined,
  opts: { optional?: boolean } = {},
): string | null {
  if (principal.kind === 'pos') {
    if (storeId && storeId !== principal.storeId) throw wrongStore();
    return principal.storeId;
  }
  const own = principal.kind === 'staff' ? principal.storeId : null;
  if (own && storeId && storeId !== own) throw notYourStore();
  const store = storeId ?? own ?? null;
  if (!store && !opts.optional) throw storeRequired();
  return store;
}

/** A foreign key to a store that does not exist: checkout's 404 rather than a 500. */
export function mapStoreErrors<T>(work: () => Promise<T>): Promise<T> {
  // `.catch` rather than an async wrapper: one promise fewer on every till write.
  return work().catch((err: unknown) => {
    if (pgCode(err) === PG_ERROR.foreignKeyViolation && /store/.test(pgConstraint(err) ?? '')) {
      throw storeNotFound();
    }
    if (pgCode(err) === PG_ERROR.checkViolation && pgConstraint(err) === 'purchases_store_active')
      throw storeInactive();
    throw err;
  });
}
