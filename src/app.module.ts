import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import { CommonModule } from './common';
import { AppConfig, ConfigModule } from './config';
import { DatabaseModule, dataSourceOptions } from './database';
import { loggerOptions } from './logging';
import { AuditModule } from './modules/audit';
import { AuthModule } from './modules/auth';
import { CardsModule } from './modules/cards';
import { CasesModule } from './modules/cases';
import { ContactsModule } from './modules/contacts';
import { CheckoutModule } from './modules/checkout';
import { CrmModule } from './modules/crm';
import { DemoModule } from './modules/demo';
import { FollowupModule } from './modules/followup';
import { HealthModule } from './modules/health';
import { IdempotencyModule } from './modules/idempotency';
import { LedgerModule } from './modules/ledger';
import { MembersModule } from './modules/members';
import { MessagingModule } from './modules/messaging';
import { PromotionsModule } from './modules/promotions';
import { ReportsModule } from './modules/reports';
import { SettingsModule } from './modules/settings';
import { SatisfactionModule } from './modules/satisfaction';
import { StoresModule } from './modules/stores';
import { TillModule } from './modules/till';
import { WalletModule } from './modules/wallet';

/** The domain modules, one per feature; each shows one face (its service) to the others. */
export const FEATURE_MODULES = [
  AuditModule,
  MessagingModule,
  StoresModule,
  SettingsModule,
  AuthModule,
  MembersModule,
  CardsModule,
  IdempotencyModule,
  LedgerModule,
  CheckoutModule,
  PromotionsModule,
  WalletModule,
  SatisfactionModule,
  FollowupModule,
  ReportsModule,
  HealthModule,
  TillModule,
  CrmModule,
  CasesModule,
  ContactsModule,
  DemoModule,
];

export interface AppModuleOptions {
  /** Off for CLI tasks and tests that drive jobs by hand. */
  schedule?: boolean;
  /** Where the JSON log goes instead of stdout (tests read it). */
  logDestination?: DestinationStream;
}

@Module({})
export class AppModule {
  static forRoot(
    config: AppConfig,
    databaseUrl: string,
    options: AppModuleOptions = {},
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        CommonModule,
        DatabaseModule,
        DiscoveryModule,
        LoggerModule.forRoot(loggerOptions(config, options.logDestination)),
        TypeOrmModule.forRoot({ ...dataSourceOptions(databaseUrl), autoLoadEntities: true }),
        ...(options.schedule === false ? [] : [ScheduleModule.forRoot()]),
        ...FEATURE_MODULES,
      ],
    };
  }
}
