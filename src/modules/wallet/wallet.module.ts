import { Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CardsModule, CardsService } from '../cards';
import { LedgerModule, LedgerService } from '../ledger';
import { MembersModule } from '../members';
import { ApplePassService } from './apple-pass.service';
import { CardHolders } from './card-holders';
import { GoogleWalletService } from './google-wallet.service';
import { PassRegistration } from './pass-registration.entity';
import { PasskitController } from './passkit.controller';
import { PasskitService } from './passkit.service';
import { WalletController } from './wallet.controller';

/**
 * Wallet passes: Apple Wallet (.pkpass, the PassKit web service, APNs pushes) and Google Wallet.
 * It sits above cards, members and the ledger and nothing depends on it: it reads them through
 * their public services and reacts to the ledger's balance changes.
 */
@Module({
  imports: [TypeOrmModule.forFeature([PassRegistration]), CardsModule, MembersModule, LedgerModule],
  controllers: [WalletController, PasskitController],
  providers: [CardHolders, ApplePassService, PasskitService, GoogleWalletService],
  exports: [PasskitService, GoogleWalletService],
})
export class WalletModule implements OnModuleInit {
  constructor(
    private readonly ledger: LedgerService,
    private readonly cards: CardsService,
  ) {}

  /** A balance changed: the pass shows it, so mark it updated (and queue the Apple push). */
  onModuleInit() {
    this.ledger.onBalanceChanged((tx, memberIds) => this.cards.passesChanged(tx, memberIds));
  }
}
