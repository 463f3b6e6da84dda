import { startTestApp, TestApp } from '../../../test/utils/test-app';
import { MembersService } from '../members';
import { hotp, staticCode, totpStep } from './card-codes';
import { CardsErrorCode } from './cards.errors';
import { CardsService } from './cards.service';
import { luhnCheckDigit } from './luhn';
import { TransactionRunner } from '../../database';

const NOW = new Date('2026-11-27T12:00:10Z');

describe('CardsService.resolveCode (real database)', () => {
  let t: TestApp;
  let cards: CardsService;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp({ CARD_CODE_SECRET: 'card-code-secret-for-tests-0123456789abcdef' });
    cards = t.app.get(CardsService);
  });
  afterAll(() => t.close());
  beforeEach(() => t.clock.set(NOW));

  async function enrol() {
    const { member, card } = await t.app.get(MembersService).enrol(
      {
        firstName: 'Ana',
        lastName: 'García',
        email: `ana-${++n}-${Date.now()}@example.com`,
        locale: 'es',
        consents: { terms: true },
      } as never,
      { channel: 'till' },
    );
    return { memberId: member.id, card };
  }

  const codeOf = async (p: Promise<unknown>) => {
    try {
      await p;
      return 'accepted';
    } catch (err) {
      return (err as { code: string }).code;
    }
  };

  it('resolves the typed number, the static code and the rotating code to the member', async () => {
    const { memberId, card } = await enrol();
    const spaced = card.number.replace(/(\d{4})(?=\d)/g, '$1 ');
    const rotating = (await cards.rotatingCodeOf(t.dataSource.manager, card)).code;
    for (const [code, kind] of [
      [card.number, 'number'],
      [spaced, 'number'],
      [cards.staticCodeOf(card), 'static'],
      [rotating, 'rotating'],
    ] as const) {
      const res = await cards.resolveCode(t.dataSource.manager, code);
      expect(res).toMatchObject({ memberId, kind });
      expect(res.card.id).toBe(card.id);
      expect((res.card as { secret?: unknown }).secret).toBeUndefined();
    }
  });

  it('refuses each bad code with its reason, never a generic error', async () => {
    const { card } = await enrol();
    const secret = await cards.secretOf(t.dataSource.manager, card.id);
    const step = totpStep(NOW);
    const body = card.number.slice(0, 15);
    const otherProgramme = '51' + body.slice(2, 15);
    const cases: [string, string][] = [
      ['garbage', CardsErrorCode.Unknown],
      ['', CardsErrorCode.Unknown],
      [body + String((luhnCheckDigit(body) + 1) % 10), CardsErrorCode.Unknown],
      ['4000000000000002', CardsErrorCode.Unknown],
      [otherProgramme + String(luhnCheckDigit(otherProgramme)), CardsErrorCode.Foreign],
      [`FDL1.${card.number}.AAAAAAAAAAAAAAAA`, CardsErrorCode.Tampered],
      [staticCode('another-programme-secret-0123456789', card.number, 1), CardsErrorCode.Tampered],
      [`FDL2.${card.id}.${hotp(secret, step - 3)}`, CardsErrorCode.Expired],
      [`FDL2.${card.id}.${hotp(secret, step + 5)}`, CardsErrorCode.Tampered],
      [`FDL2.${card.id}.12345678`, CardsErrorCode.Tampered],
      [`FDL2.00000000-0000-4000-8000-000000000000.12345678`, CardsErrorCode.Unknown],
    ];
    for (const [code, expected] of cases) {
      expect([code, await codeOf(cards.resolveCode(t.dataSource.manager, code))]).toEqual([
        code,
        expected,
      ]);
    }
  });

  it('accepts a rotating code once per time step, and the neighbouring steps', async () => {
    const { card } = await enrol();
    const secret = await cards.secretOf(t.dataSource.manager, card.id);
    const step = totpStep(NOW);
    const code = (s: number) => `FDL2.${card.id}.${hotp(secret, s)}`;
    expect(await codeOf(cards.resolveCode(t.dataSource.manager, code(step - 1)))).toBe('accepted');
    expect(await codeOf(cards.resolveCode(t.dataSource.manager, code(step - 1)))).toBe(
      CardsErrorCode.Reused,
    );
    expect(await codeOf(cards.resolveCode(t.dataSource.manager, code(step)))).toBe('accepted');
    // Two tills scanning the same screenshot at once: exactly one wins.
    const results = await Promise.all(
      [1, 2, 3, 4].map(() => codeOf(cards.resolveCode(t.dataSource.manager, code(step + 1)))),
    );
    expect(results.sort()).toEqual(['accepted', ...Array(3).fill(CardsErrorCode.Reused)].sort());
    // An older step after a newer one was accepted is a replay too.
    expect(await codeOf(cards.resolveCode(t.dataSource.manager, code(step)))).toBe(
      CardsErrorCode.Reused,
    );
    t.clock.advance(60_000);
    expect(await codeOf(cards.resolveCode(t.dataSource.manager, code(step + 1)))).toBe(
      CardsErrorCode.Reused,
    );
    expect(await codeOf(cards.resolveCode(t.dataSource.manager, code(step + 3)))).toBe('accepted');
  });

  it('does not consume the step when the caller transaction rolls back', async () => {
    const { card } = await enrol();
    const { code } = await cards.rotatingCodeOf(t.dataSource.manager, card);
    await expect(
      t.app.get(TransactionRunner).run(async (em) => {
        await cards.resolveCode(em, code);
        throw new Error('till aborted');
      }),
    ).rejects.toThrow('till aborted');
    expect((await cards.resolveCode(t.dataSource.manager, code)).kind).toBe('rotating');
  });

  it('requires the rotating code when asked', async () => {
    const { card, memberId } = await enrol();
    for (const code of [card.number, cards.staticCodeOf(card)]) {
      expect(
        await codeOf(cards.resolveCode(t.dataSource.manager, code, { requireRotating: true })),
      ).toBe(CardsErrorCode.RotatingRequired);
    }
    const { code } = await cards.rotatingCodeOf(t.dataSource.manager, card);
    expect(
      await cards.resolveCode(t.dataSource.manager, code, { requireRotating: true }),
    ).toMatchObject({ memberId });
  });

  it('refuses every code of a replaced card and accepts the new one', async () => {
    const { card, memberId } = await enrol();
    const oldStatic = cards.staticCodeOf(card);
    const oldRotating = (await cards.rotatingCodeOf(t.dataSource.manager, card)).code;
    const { card: fresh } = await cards.replace(memberId);
    expect(fresh.number).not.toBe(card.number);
    expect(fresh.passSerial).not.toBe(card.passSerial);
    expect(fresh.version).toBe(card.version + 1);
    for (const code of [card.number, oldStatic, oldRotating]) {
      expect(await codeOf(cards.resolveCode(t.dataSource.manager, code))).toBe(
        CardsErrorCode.Replaced,
      );
    }
    expect(await cards.resolveCode(t.dataSource.manager, cards.staticCodeOf(fresh))).toMatchObject({
      memberId,
    });
  });

  it('refuses the codes of a blocked card', async () => {
    const { card, memberId } = await enrol();
    const staticForm = cards.staticCodeOf(card);
    const rotating = (await cards.rotatingCodeOf(t.dataSource.manager, card)).code;
    expect(
      await t.app.get(TransactionRunner).run((em) => cards.blockAllForMember(em, memberId)),
    ).toBe(1);
    for (const code of [card.number, staticForm, rotating]) {
      expect(await codeOf(cards.resolveCode(t.dataSource.manager, code))).toBe(
        CardsErrorCode.Blocked,
      );
    }
  });
});
