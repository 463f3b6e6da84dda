export { CheckoutModule } from './checkout.module';
export { CheckoutService } from './checkout.service';
export type { BatchResult, ScanSummary } from './checkout.service';
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
