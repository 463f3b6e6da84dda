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
