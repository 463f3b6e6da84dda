import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Principal } from '../../common';
import { TransactionRunner } from '../../database';
import { AuditService } from '../audit';
import { MembersRepository } from './members.repository';
import { memberNotFound } from './members.errors';

/** Marketing tags of a member: the promotions' `member_tag` condition reads them. */
@Injectable()
export class MemberTagsService {
  constructor(
    private readonly tx: TransactionRunner,
    private readonly repo: MembersRepository,
    private readonly audit: AuditService,
  ) {}

  tagsOf(reader: EntityManager, memberId: string): Promise<string[]> {
    return this.repo.tagsOf(reader, memberId);
  }

  /** Replaces an active member's tags (trimmed, without repeats), audited by count. */
  async replace(memberId: string, tags: string[], principal?: Principal): Promise<string[]> {
    return this.tx.run(async (tx) => {
      const member = await this.repo.find(tx, memberId);
      if (!member || member.status !== 'active') throw memberNotFound();
      const unique = [...new Set(tags.map((x) => x.trim()).filter(Boolean))];
      await this.repo.replaceTags(tx, memberId, unique);
      await this.audit.log(tx, {
        principal,
        action: 'member.tags',
        entity: 'member',
        entityId: memberId,
        memberId,
        details: { count: unique.length },
      });
      return this.repo.tagsOf(tx, memberId);
    });
  }
}
