import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { isUniqueViolation } from '../../database';
import { Card } from './card.entity';
import { randomCardNumber } from './luhn';

@Injectable()
export class CardsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Issues a new active card to a member, in the caller's transaction. */
  async issue(memberId: string, manager: EntityManager): Promise<Card> {
    for (let attempt = 0; ; attempt++) {
      const number = randomCardNumber();
      try {
        // A savepoint, so a (one in ~10^13) number collision does not abort the caller's transaction.
        return await manager.transaction(async (em) =>
          em.save(
            em.create(Card, {
              memberId,
              number,
              status: 'active',
              version: 1,
              secret: randomBytes(20),
              passAuthToken: randomBytes(24).toString('base64url'),
              passUpdatedAt: new Date(),
            }),
          ),
        );
      } catch (err) {
        if (!isUniqueViolation(err, 'cards_number_key') || attempt > 5) throw err;
      }
    }
  }

  /**
   * Blocks every active card of a member (erasure), in the caller's transaction: their codes are
   * refused from then on. Returns how many cards were blocked.
   */
  async blockAllForMember(memberId: string, manager: EntityManager): Promise<number> {
    const result = await manager
      .createQueryBuilder()
      .update(Card)
      .set({ status: 'blocked', blockedAt: () => 'now()' })
      .where('member_id = :memberId AND status = :status', { memberId, status: 'active' })
      .execute();
    return result.affected ?? 0;
  }

  async activeCardOf(
    memberId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Card | null> {
    return manager.findOne(Card, { where: { memberId, status: 'active' } });
  }

  async findByNumber(
    number: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Card | null> {
    return manager.findOne(Card, { where: { number } });
  }
}
