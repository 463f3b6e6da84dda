import type { PosPrincipal } from '../../common';
import type { PurchasesService, ReturnsService } from '../checkout';
import type { PurchaseDto } from '../checkout';

const BASKETS = [
  [
    { sku: 'SHOE-RUN-42', category: 'shoes', quantity: 1, unitPriceCents: 8999 },
    { sku: 'SOCK-3P', category: 'accessories', quantity: 2, unitPriceCents: 1299 },
  ],
  [{ sku: 'JACKET-M', category: 'clothing', quantity: 1, unitPriceCents: 12950 }],
  [
    { sku: 'TSHIRT-L', category: 'clothing', quantity: 3, unitPriceCents: 1999 },
    { sku: 'CAP-01', category: 'accessories', quantity: 1, unitPriceCents: 1500 },
  ],
];

/**
 * Points history for the demo members, through the real till path (demo POS key): a purchase
 * each, then a redemption in a second purchase for the first member and a return for the second.
 */
export async function seedDemoPurchases(
  checkout: { purchases: PurchasesService; returns: ReturnsService },
  memberIds: string[],
  pos: PosPrincipal,
): Promise<void> {
  const buy = (key: string, body: Partial<PurchaseDto> & { memberId: string }) =>
    checkout.purchases.purchase({ currency: 'EUR', ...body } as PurchaseDto, pos, key);
  const receipts: { purchaseId: string }[] = [];
  for (const [i, memberId] of memberIds.entries()) {
    const res = await buy(`demo-purchase-${i}-1`, {
      memberId,
      externalId: `DEMO-${1000 + i}`,
      lines: BASKETS[i % BASKETS.length],
    });
    receipts.push(JSON.parse(res.body) as { purchaseId: string });
  }
  if (memberIds[0]) {
    await buy('demo-purchase-0-2', {
      memberId: memberIds[0],
      externalId: 'DEMO-2000',
      redeemPoints: 50,
      lines: [{ sku: 'INSOLE-01', category: 'accessories', quantity: 1, unitPriceCents: 1995 }],
    });
  }
  if (memberIds[1]) {
    await checkout.returns.returnLines(
      receipts[1].purchaseId,
      { lines: [{ lineNo: 1, quantity: 1 }] },
      pos,
      'demo-return-1-1',
    );
  }
}
