import { Logger, Module, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit';
import type { LedgerQueriesService, LedgerService } from '../ledger';
import type { TiersService } from '../promotions';
import { ApplePassService } from './apple-pass.service';
import { Card } from './card.entity';
import { CardHolders } from './card-holders';
import { CardsController } from './cards.controller';
import { CardsService } from './cards.service';
import { GoogleWalletService } from './google-wallet.service';
import { PassRegistration } from './pass-registration.entity';
import { PasskitController } from './passkit.controller';
import { PasskitService } from './passkit.service';

@Module({
  imports: [TypeOrmModule.forFeature([Card, PassRegistration]), AuditModule],
  controllers: [CardsController, PasskitController],
  providers: [CardsService, CardHolders, ApplePassService, PasskitService, GoogleWalletService],
  exports: [CardsService],
})
export class CardsModule implements OnModuleInit {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly cards: CardsService,
    private readonly holders: CardHolders,
  ) {}

  /**
   * Wallet passes show the points balance and the tier: read them from the ledger and the tiers
   * programme, and mark the pass updated (queueing the Apple push) whenever the ledger changes a
   * balance. Both depend on members, which depends on cards, so they are looked up here at start
   * rather than imported.
   */
  onModuleInit() {
    const ledger = this.lookUp<LedgerService>(
      () =>
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        (require('../ledger') as typeof import('../ledger')).LedgerService,
    );
    const points = this.lookUp<LedgerQueriesService>(
      () =>
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        (require('../ledger') as typeof import('../ledger')).LedgerQueriesService,
    );
    if (ledger && points) {
      this.holders.useBalanceReader(async (memberId, em) => {
        return (await points.balanceOf(memberId, em)).balance;
      });
      ledger.onBalanceChanged((tx, memberIds) => this.cards.passesChanged(memberIds, tx));
    } else {
      new Logger('Cards').warn('no ledger in this application: wallet passes show 0 points');
    }
    const tiers = this.lookUp<TiersService>(
      () =>
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        (require('../promotions') as typeof import('../promotions')).TiersService,
    );
    if (tiers) this.holders.useTierReader((memberId, em) => tiers.tierOf(memberId, em));
  }

  /** Another module's service, if that module is part of this application. */
  private lookUp<T>(type: () => abstract new (...args: never[]) => T): T | undefined {
    try {
      return this.moduleRef.get(type(), { strict: false });
    } catch {
      return undefined;
    }
  }
}
