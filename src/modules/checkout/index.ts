export { CheckoutModule } from './checkout.module';
export { ScanService } from './scan.service';
export type { ScanSummary } from './scan.service';
export { PurchasesService } from './purchases.service';
export type { BatchResult } from './purchases.service';
export { RedemptionsService } from './redemptions.service';
export { ReturnsService } from './returns.service';
export { PurchaseHistoryService } from './purchase-history.service';
export type { PurchaseSummary } from './purchase-history.service';
export { EarnCalculator } from './earn-calculator';
export type { EarnComputation, EarnInput, EarnLine } from './earn-calculator';
export { CheckoutError, CheckoutErrorCode } from './checkout.errors';
export { Purchase } from './purchase.entity';
export { PurchaseLine } from './purchase-line.entity';
export {
  BatchDto,
  PurchaseDto,
  PurchaseLineDto,
  RedemptionDto,
  ReturnDto,
  ScanDto,
} from './dto/checkout.dto';
