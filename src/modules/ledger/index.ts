export { LedgerModule } from './ledger.module';
export { LedgerService } from './ledger.service';
export { LedgerQueriesService } from './ledger-queries.service';
export { LedgerJobsService } from './ledger-jobs.service';
export type {
  AccountState,
  BalanceListener,
  EarnResult,
  LedgerActor,
  PostingContext,
  PostingResult,
} from './ledger.types';
export type { EntryView, PointsSummary } from './ledger-queries.service';
export { LedgerCheckService } from './ledger-check.service';
export type { LedgerCheckResult, LedgerMismatch } from './ledger-check.service';
export type { EntryKind, PromotionPoints } from './ledger-entry.entity';
export { LedgerError, LedgerErrorCode } from './ledger.errors';
