import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The module check of `npm run check` (.dependency-cruiser.cjs), run on a small tree of modules
 * in a temporary folder: clean, then with a cycle planted, then with an import past an index.
 */
describe('module check (dependency-cruiser)', () => {
  const root = join(__dirname, '..', '..');
  let dir: string;

  const write = (path: string, text: string) => {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const check = () => {
    const run = spawnSync(
      process.execPath,
      [join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), 'src'],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );
    return { status: run.status, output: run.stdout + run.stderr };
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fidelia-modules-'));
    cpSync(join(root, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
    write('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'nodenext' } }));
    // ledger → members → cards, the way the real arrows point.
    write('src/modules/cards/index.ts', `export { CardsService } from './cards.service';\n`);
    write('src/modules/cards/cards.service.ts', `export class CardsService {}\n`);
    write('src/modules/members/index.ts', `export { MembersService } from './members.service';\n`);
    write(
      'src/modules/members/members.service.ts',
      `import { CardsService } from '../cards';\nexport class MembersService { c?: CardsService; }\n`,
    );
    write('src/modules/ledger/index.ts', `export { LedgerService } from './ledger.service';\n`);
    write(
      'src/modules/ledger/ledger.service.ts',
      `import type { MembersService } from '../members';\nexport class LedgerService { m?: MembersService; }\n`,
    );
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('passes a tree whose modules depend in one direction through their index', () => {
    const { status, output } = check();
    expect([status, output]).toEqual([0, expect.stringContaining('no dependency violations')]);
  });

  it('fails on a cycle between modules, even through a type-only import', () => {
    write(
      'src/modules/cards/cards.service.ts',
      `import type { LedgerService } from '../ledger';\nexport class CardsService { l?: LedgerService; }\n`,
    );
    const { status, output } = check();
    expect(status).not.toBe(0);
    expect(output).toContain('no-module-cycle');
  });

  it("fails on an import that bypasses another module's index.ts", () => {
    write(
      'src/modules/ledger/ledger.service.ts',
      `import { MembersService } from '../members/members.service';\nexport class LedgerService { m?: MembersService; }\n`,
    );
    const { status, output } = check();
    expect(status).not.toBe(0);
    expect(output).toContain('through-index-only');
  });
});
