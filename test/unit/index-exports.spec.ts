import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { violations } = require('../../.ci/check-index-exports.cjs') as {
  violations(root: string): string[];
};

/**
 * The index half of the module check (.ci/check-index-exports.cjs, run by `npm run check`): a
 * module's index.ts exports its module, services, typed errors and types, nothing else.
 */
describe('module check (index exports)', () => {
  let dir: string;
  const index = (module: string, text: string) => {
    mkdirSync(join(dir, 'src', 'modules', module), { recursive: true });
    writeFileSync(join(dir, 'src', 'modules', module, 'index.ts'), text);
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fidelia-index-'));
    index(
      'cards',
      [
        `export { CardsModule } from './cards.module';`,
        `export { CardsService } from './cards.service';`,
        `export type { CardView, CardRecord } from './cards.service';`,
        `export { type CodeKind } from './cards.service';`,
        `export { CardsError, CardsErrorCode } from './cards.errors';`,
      ].join('\n'),
    );
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('passes an index with the module, services, typed errors and types', () => {
    expect(violations(dir)).toEqual([]);
  });

  it('fails on a DTO class, an entity, a helper, a constant, a CLI function or export *', () => {
    index(
      'checkout',
      [
        `export { CheckoutModule } from './checkout.module';`,
        `export { PurchaseDto } from './dto/checkout.dto';`,
        `export { Purchase } from './purchase.entity';`,
        `export { allocate, MAX_LINES } from './line-shares';`,
        `export { runLedgerCheck } from './ledger-cli';`,
        `export * from './checkout.types';`,
        `export const LIMIT = 3;`,
      ].join('\n'),
    );
    expect(violations(dir)).toEqual([
      'checkout: PurchaseDto',
      'checkout: Purchase',
      'checkout: allocate',
      'checkout: MAX_LINES',
      'checkout: runLedgerCheck',
      'checkout: *',
      'checkout: LIMIT',
    ]);
  });

  it('passes the real tree', () => {
    expect(violations(join(__dirname, '..', '..'))).toEqual([]);
  });
});
