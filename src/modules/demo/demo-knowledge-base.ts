import { KnowledgeBaseService } from '../crm';

const CATEGORIES = [
  { slug: 'programme', nameEs: 'Programa de fidelización', nameEn: 'Loyalty programme' },
  { slug: 'faq', nameEs: 'Preguntas frecuentes', nameEn: 'FAQ' },
  { slug: 'stores', nameEs: 'Tiendas', nameEn: 'Stores' },
  { slug: 'manuals', nameEs: 'Manuales de producto', nameEn: 'Product manuals' },
];

const ARTICLES = [
  {
    slug: KnowledgeBaseService.TERMS_SLUG,
    category: 'programme',
    public: true,
    titleEs: 'Condiciones del programa Fidelia',
    bodyEs: [
      'El programa es gratuito. Para ser socio hay que tener 14 años o más, o contar con el consentimiento de un tutor.',
      'Ganas 1 punto por cada euro de compra en las tiendas adheridas. Los puntos están disponibles al día siguiente y caducan a los 24 meses, al final del mes.',
      'Puedes canjear los puntos por descuentos y recompensas en caja. Una devolución retira los puntos que la compra dio.',
      'Tratamos tus datos para gestionar el programa. Puedes pedir una copia o su borrado en tu área de socio (/me) o en cualquier tienda.',
    ].join('\n\n'),
    titleEn: 'Fidelia programme terms',
    bodyEn: [
      'The programme is free. Members must be 14 or older, or have a guardian’s consent.',
      'You earn 1 point per euro spent in participating stores. Points are available the next day and expire after 24 months, at the end of the month.',
      'You can redeem points for discounts and rewards at the till. A return takes back the points its purchase gave.',
      'We process your data to run the programme. You can ask for a copy or for its erasure in your member area (/me) or in any store.',
    ].join('\n\n'),
  },
  {
    slug: 'opening-hours',
    category: 'stores',
    public: true,
    titleEs: 'Horario de las tiendas',
    bodyEs:
      'Madrid Centro: de lunes a sábado de 10:00 a 21:00; domingos y festivos de 11:00 a 20:00.\n\nBarcelona Diagonal: de lunes a sábado de 10:00 a 21:30; cerrado domingos.',
    titleEn: 'Store opening hours',
    bodyEn:
      'Madrid Centro: Monday to Saturday 10:00 to 21:00; Sundays and holidays 11:00 to 20:00.\n\nBarcelona Diagonal: Monday to Saturday 10:00 to 21:30; closed on Sundays.',
  },
  {
    slug: 'returns',
    category: 'faq',
    public: true,
    titleEs: '¿Cómo devuelvo una compra?',
    bodyEs:
      'Tienes 30 días para devolver cualquier compra con el ticket o con tu tarjeta de socio. El reembolso se hace en el mismo medio de pago y los puntos de esa compra se retiran.',
    titleEn: 'How do I return a purchase?',
    bodyEn:
      'You have 30 days to return any purchase with the receipt or your member card. Refunds go back to the same payment method and the points of that purchase are taken back.',
  },
  {
    slug: 'running-shoes-care',
    category: 'manuals',
    public: false,
    titleEs: 'Cuidado de las zapatillas de running',
    bodyEs:
      'Lava las zapatillas a mano con agua fría y jabón neutro. No las metas en la lavadora ni en la secadora.\n\nSécalas a la sombra con papel de periódico dentro. Cambia las plantillas cada 500 km.',
    titleEn: 'Running shoes care',
    bodyEn:
      'Hand-wash the shoes in cold water with mild soap. Do not put them in the washing machine or the dryer.\n\nDry them in the shade with newspaper inside. Replace the insoles every 500 km.',
  },
];

/** Knowledge-base categories and articles: the programme terms (/terms), hours, an FAQ, a manual. */
export async function seedDemoKnowledgeBase(kb: KnowledgeBaseService): Promise<void> {
  const ids: Record<string, string> = {};
  for (const c of CATEGORIES) ids[c.slug] = (await kb.createCategory(c)).id;
  for (const { category, ...a } of ARTICLES) {
    await kb.create({ ...a, categoryId: ids[category], publish: true }, {});
  }
}
