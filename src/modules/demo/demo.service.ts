import { Injectable, Logger } from '@nestjs/common';
import { ApiKeysService, StaffService } from '../auth';
import { PurchasesService, ReturnsService } from '../checkout';
import { KnowledgeBaseService } from '../crm';
import { FollowupDispatcher, FollowupPlansService } from '../followup';
import { MembersService } from '../members';
import { EarningService, PromotionsService, RewardsService, TiersService } from '../promotions';
import { StoresService } from '../stores';
import { DEMO_MEMBERS, DEMO_STAFF, DEMO_STORES } from './demo-data';
import { isLoopbackHost } from './demo-safety';
import { dispatchDemoFollowups, seedDemoFollowupPlans } from './demo-followup';
import { seedDemoKnowledgeBase } from './demo-knowledge-base';
import { seedDemoPromotions } from './demo-promotions';
import { seedDemoPurchases } from './demo-purchases';

export interface DemoSeedResult {
  seeded: boolean;
  posApiKey?: string;
}

/**
 * The demo data `npm start` seeds on an empty database: stores, one staff user per role,
 * members with cards and history, promotions, tiers, rewards and follow-up plans.
 */
@Injectable()
export class DemoService {
  private readonly logger = new Logger('Demo');

  constructor(
    private readonly stores: StoresService,
    private readonly staff: StaffService,
    private readonly apiKeys: ApiKeysService,
    private readonly members: MembersService,
    private readonly purchases: PurchasesService,
    private readonly returns: ReturnsService,
    private readonly promotions: PromotionsService,
    private readonly tiers: TiersService,
    private readonly rewards: RewardsService,
    private readonly earning: EarningService,
    private readonly knowledgeBase: KnowledgeBaseService,
    private readonly followupPlans: FollowupPlansService,
    private readonly followupDispatcher: FollowupDispatcher,
  ) {}

  /**
   * The demo staff whose published password still works (issue 13, defect 14): the server
   * refuses to listen beyond loopback while there is one.
   */
  /** The demo staff's sign-ins, printed at start when the demo is seeded (they are published). */
  staffSignIns(): ReadonlyArray<{ roles: readonly string[]; email: string; password: string }> {
    return DEMO_STAFF;
  }

  /** Whether the server listens on loopback only (then demo passwords may stay). */
  isLoopbackHost(host: string): boolean {
    return isLoopbackHost(host);
  }

  async demoPasswordsInUse(): Promise<string[]> {
    const found: string[] = [];
    for (const u of DEMO_STAFF)
      if (await this.staff.passwordWorks(u.email, u.password)) found.push(u.email);
    return found;
  }

  async seedIfEmpty(): Promise<DemoSeedResult> {
    if ((await this.stores.list()).length > 0) return { seeded: false };
    return this.seed();
  }

  async seed(): Promise<DemoSeedResult> {
    this.logger.log('seeding demo data');
    const storeIds: Record<string, string> = {};
    for (const s of DEMO_STORES) storeIds[s.code] = (await this.stores.create(s)).id;
    let marketingId: string | undefined;
    for (const u of DEMO_STAFF) {
      if (await this.staff.findForLogin(u.email)) continue;
      const user = await this.staff.create({
        email: u.email,
        name: u.name,
        password: u.password,
        roles: u.roles,
        storeId: u.store ? storeIds[u.store] : undefined,
      });
      if (u.roles.includes('marketing')) marketingId = user.id;
    }
    const posKey = await this.apiKeys.create({
      name: 'Demo till, Madrid Centro',
      storeId: storeIds['MAD-01'],
    });
    await seedDemoPromotions({
      promotions: this.promotions,
      tiers: this.tiers,
      rewards: this.rewards,
      earning: this.earning,
    });
    await seedDemoKnowledgeBase(this.knowledgeBase);
    // Before the purchases, so that they create follow-up tasks.
    if (marketingId)
      await seedDemoFollowupPlans(this.followupPlans, {
        kind: 'staff',
        userId: marketingId,
        roles: ['marketing'],
      });
    const memberIds: string[] = [];
    for (const m of DEMO_MEMBERS) {
      const { member } = await this.members.enrol(
        {
          ...m,
          storeId: storeIds['MAD-01'],
          consents: {
            terms: true,
            followup: true,
            calls: true,
            marketing_email: m.locale === 'es',
            marketing_sms: false,
            profiling: true,
          },
        },
        { channel: 'till' },
      );
      memberIds.push(member.id);
    }
    await seedDemoPurchases({ purchases: this.purchases, returns: this.returns }, memberIds, {
      kind: 'pos',
      apiKeyId: posKey.id,
      roles: ['cashier'],
      storeId: storeIds['MAD-01'],
    });
    await dispatchDemoFollowups(this.followupDispatcher);
    return { seeded: true, posApiKey: posKey.key };
  }
}
