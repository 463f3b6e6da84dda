import { Logger, Module, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit';
import type { LedgerService } from '../ledger';
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
   * Wallet passes show the points balance: read it from the ledger, and mark the pass updated
   * (queueing the Apple push) whenever the ledger changes a balance. The ledger depends on
   * members, which depends on cards, so the ledger is looked up here rather than imported.
   */
  onModuleInit() {
    let ledger: LedgerService;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const exported = require('../ledger') as typeof import('../ledger');
      ledger = this.moduleRef.get(exported.LedgerService, { strict: false });
    } catch {
      new Logger('Cards').warn('no ledger in this application: wallet passes show 0 points');
      return;
    }
    this.holders.useBalanceReader(async (memberId, em) => {
      return (await ledger.balanceOf(memberId, em)).balance;
    });
    ledger.onBalanceChanged((memberIds, em) => this.cards.passesChanged(memberIds, em));
  }
}
