import { DomainError } from '../../common';

export enum CheckoutErrorCode {
  StoreRequired = 'checkout.store_required',
  WrongStore = 'checkout.wrong_store',
  StoreNotFound = 'checkout.store_not_found',
  DuplicateExternalId = 'checkout.duplicate_external_id',
  CurrencyUnsupported = 'checkout.currency_unsupported',
  DiscountExceedsTotal = 'checkout.discount_exceeds_total',
  PurchaseNotFound = 'checkout.purchase_not_found',
  ReturnLineUnknown = 'checkout.return_line_unknown',
  ReturnExceedsPurchase = 'checkout.return_exceeds_purchase',
  MemberInactive = 'checkout.member_inactive',
  RotatingCodeRequired = 'checkout.rotating_code_required',
  StoreInactive = 'checkout.store_inactive',
}

export class CheckoutError extends DomainError {}

export const storeRequired = () =>
  new CheckoutError('invalid', CheckoutErrorCode.StoreRequired, 'storeId is required', [
    { field: 'storeId', reason: 'required for staff without a store' },
  ]);

export const wrongStore = () =>
  new CheckoutError(
    'forbidden',
    CheckoutErrorCode.WrongStore,
    'this API key belongs to another store',
    [{ field: 'storeId', reason: 'not the API key’s store' }],
  );

/** Issue 13, defect 3: staff bound to a store act only for it, as its POS keys do. */
export const notYourStore = () =>
  new CheckoutError('forbidden', CheckoutErrorCode.WrongStore, 'you act only for your own store', [
    { field: 'storeId', reason: 'not the store you belong to' },
  ]);

export const storeInactive = () =>
  new CheckoutError(
    'unprocessable',
    CheckoutErrorCode.StoreInactive,
    'this store is deactivated and takes no purchases',
    [{ field: 'storeId', reason: 'store deactivated' }],
  );

export const storeNotFound = () =>
  new CheckoutError('not_found', CheckoutErrorCode.StoreNotFound, 'store not found', [
    { field: 'storeId', reason: 'no such store' },
  ]);

export const duplicateExternalId = () =>
  new CheckoutError(
    'conflict',
    CheckoutErrorCode.DuplicateExternalId,
    'this store already recorded a purchase with this externalId (under another Idempotency-Key)',
    [{ field: 'externalId', reason: 'already recorded at this store' }],
  );

export const currencyUnsupported = (currency: string) =>
  new CheckoutError(
    'unprocessable',
    CheckoutErrorCode.CurrencyUnsupported,
    `the programme runs in EUR; ${currency} is not accepted`,
    [{ field: 'currency', reason: 'must be EUR' }],
  );

export const discountExceedsTotal = (discountCents: number, subtotalCents: number) =>
  new CheckoutError(
    'unprocessable',
    CheckoutErrorCode.DiscountExceedsTotal,
    `the points discount (${discountCents} cents) exceeds the purchase (${subtotalCents} cents)`,
    [{ field: 'redeemPoints', reason: 'worth more than the purchase' }],
  );

export const purchaseNotFound = () =>
  new CheckoutError('not_found', CheckoutErrorCode.PurchaseNotFound, 'purchase not found');

export const returnLineUnknown = (index: number) =>
  new CheckoutError(
    'unprocessable',
    CheckoutErrorCode.ReturnLineUnknown,
    'a returned line is not on the purchase',
    [{ field: `lines.${index}`, reason: 'no such line (lineNo or sku) on the purchase' }],
  );

export const returnExceedsPurchase = (index: number, returnable: number) =>
  new CheckoutError(
    'unprocessable',
    CheckoutErrorCode.ReturnExceedsPurchase,
    'returning more than was bought',
    [{ field: `lines.${index}.quantity`, reason: `at most ${returnable} can still be returned` }],
  );

export const memberInactive = () =>
  new CheckoutError('unprocessable', CheckoutErrorCode.MemberInactive, 'this member was erased');

export const rotatingCodeRequired = () =>
  new CheckoutError(
    'unprocessable',
    CheckoutErrorCode.RotatingCodeRequired,
    'spending points needs the rotating code from the app or Google Wallet',
    [{ field: 'code', reason: 'scan the rotating code (FDL2…)' }],
  );
