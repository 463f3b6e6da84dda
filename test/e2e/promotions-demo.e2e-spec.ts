import { DemoService } from '../../src/modules/demo';
import { startTestApp, TestApp } from '../utils/test-app';

describe('promotions: demo programme', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.set('2026-11-28T11:00:00Z'); // a Saturday
    await t.app.get(DemoService).seed();
  }, 60_000);
  afterAll(() => t.close());

  it('seeds the base rate, realistic promotions, tiers and rewards that the till applies', async () => {
    const marketing = await t.auth('marketing');
    const active = await t.http.get('/api/promotions?status=active').set(marketing);
    expect(active.body.items.map((p: { nameEn: string }) => p.nameEn)).toEqual([
      'Base rate',
      'Double points on shoes at weekends',
      'Welcome: 50 points on your first purchase',
      'Coffee card: the 8th is free',
    ]);
    const tiers = await t.http.get('/api/tiers').set(marketing);
    expect(tiers.body.items.map((x: { code: string }) => x.code)).toEqual([
      'Bronce',
      'Plata',
      'Oro',
    ]);
    const rewards = await t.http.get('/api/rewards').set(marketing);
    expect(rewards.body.items).toHaveLength(3);

    const store = (await t.http.get('/api/stores').set(marketing)).body.items[0];
    const sim = await t.http
      .post('/api/promotions/simulate')
      .set(marketing)
      .send({
        storeId: store.id,
        member: { firstPurchase: true },
        lines: [{ sku: 'SHOE-RUN-42', category: 'shoes', quantity: 1, unitPriceCents: 8999 }],
      });
    expect(
      sim.body.breakdown.map((b: { name: string; points: number }) => [b.name, b.points]),
    ).toEqual([
      ['Tarifa base', 89],
      ['Doble de puntos en calzado el fin de semana', 89],
      ['Bienvenida: 50 puntos en tu primera compra', 50],
    ]);
  });
});
