import type {
  EarningService,
  PromotionsService,
  RewardsService,
  TiersService,
} from '../promotions';
import type { CreatePromotionDto } from '../promotions';

/**
 * Demo loyalty programme: the base rate (1 point per euro) as a promotion, three realistic
 * active promotions (double points on shoes at weekends, a welcome bonus on the first purchase,
 * a coffee stamp card), tiers Bronce/Plata/Oro, a few rewards and earning rules.
 */
export async function seedDemoPromotions(services: {
  promotions: PromotionsService;
  tiers: TiersService;
  rewards: RewardsService;
  earning: EarningService;
}): Promise<void> {
  const { promotions, tiers, rewards, earning } = services;

  for (const t of [
    {
      code: 'Bronce',
      nameEs: 'Bronce',
      nameEn: 'Bronze',
      thresholdPoints: 0,
      multiplierPercent: 100,
    },
    {
      code: 'Plata',
      nameEs: 'Plata',
      nameEn: 'Silver',
      thresholdPoints: 500,
      multiplierPercent: 125,
      benefitsEs: '+25 % de puntos y envío gratis',
      benefitsEn: '+25 % points and free delivery',
    },
    {
      code: 'Oro',
      nameEs: 'Oro',
      nameEn: 'Gold',
      thresholdPoints: 2000,
      multiplierPercent: 150,
      benefitsEs: '+50 % de puntos, envío gratis y acceso anticipado a rebajas',
      benefitsEn: '+50 % points, free delivery and early access to sales',
    },
  ])
    await tiers.create(t);

  await rewards.create({
    nameEs: 'Vale de 5 €',
    nameEn: '€5 voucher',
    kind: 'discount',
    costPoints: 500,
    discountCents: 500,
    couponValidDays: 60,
  });
  const coffee = await rewards.create({
    nameEs: 'Café gratis',
    nameEn: 'Free coffee',
    kind: 'free_product',
    sku: 'COFFEE-CUP',
    costPoints: 150,
    stock: 200,
    couponValidDays: 30,
  });
  await rewards.create({
    nameEs: 'Bolsa de tela Fidelia',
    nameEn: 'Fidelia tote bag',
    kind: 'free_product',
    sku: 'TOTE-01',
    costPoints: 300,
    stock: 50,
  });

  const create = async (dto: CreatePromotionDto) => {
    const p = await promotions.create(dto);
    await promotions.publish(p.id);
  };
  await create({
    nameEs: 'Tarifa base',
    nameEn: 'Base rate',
    descriptionEs: '1 punto por cada euro pagado en dinero.',
    descriptionEn: '1 point for every euro paid in money.',
    base: true,
    priority: 1000,
    effects: [{ type: 'points_per_unit', points: 1, perCents: 100 }],
  });
  await create({
    nameEs: 'Doble de puntos en calzado el fin de semana',
    nameEn: 'Double points on shoes at weekends',
    priority: 100,
    conditions: {
      all: [
        { type: 'line_category', op: 'eq', value: 'shoes' },
        { type: 'weekday', op: 'in', value: [6, 7] },
      ],
    },
    effects: [
      { type: 'points_per_unit', points: 1, perCents: 100, target: { categories: ['shoes'] } },
    ],
    maxPointsPerPurchase: 500,
  });
  await create({
    nameEs: 'Bienvenida: 50 puntos en tu primera compra',
    nameEn: 'Welcome: 50 points on your first purchase',
    priority: 90,
    conditions: { type: 'first_purchase', op: 'eq', value: true },
    effects: [{ type: 'fixed_bonus', points: 50 }],
    memberLimit: { count: 1, period: 'ever' },
    budgetPoints: 100_000,
  });
  await create({
    nameEs: 'Tarjeta de cafés: el 8.º es gratis',
    nameEn: 'Coffee card: the 8th is free',
    priority: 50,
    conditions: { type: 'line_category', op: 'eq', value: 'coffee' },
    effects: [{ type: 'stamps', stamps: 1, perUnit: true, target: { categories: ['coffee'] } }],
    stampCard: { stampsRequired: 8, rewardId: coffee.id },
  });

  for (const r of [
    { code: 'enrolment', nameEs: 'Bono de alta', nameEn: 'Welcome bonus', points: 25 },
    { code: 'birthday', nameEs: 'Regalo de cumpleaños', nameEn: 'Birthday gift', points: 100 },
    {
      code: 'survey_answered',
      nameEs: 'Encuesta respondida',
      nameEn: 'Survey answered',
      points: 20,
    },
    {
      code: 'referral_enrolment',
      nameEs: 'Amigo invitado se ha dado de alta',
      nameEn: 'Invited friend joined',
      points: 50,
    },
    {
      code: 'referred_enrolment',
      nameEs: 'Alta con código de un amigo',
      nameEn: "Joined with a friend's code",
      points: 25,
    },
    {
      code: 'referral_first_purchase',
      nameEs: 'Primera compra de un amigo invitado',
      nameEn: "Invited friend's first purchase",
      points: 100,
    },
    {
      code: 'app_review',
      nameEs: 'Reseña en la app',
      nameEn: 'App review',
      points: 30,
      limit: { count: 1, period: 'month' as const },
    },
  ])
    await earning.saveRule(null, r);
}
