import type { Principal } from '../../common';
import type { FollowupDispatcher, FollowupPlansService } from '../followup';

/**
 * Follow-up plans for the demo, made before the demo purchases so those create tasks: a welcome
 * call on the day of a first purchase (due at once: the agent signing in finds calls in /agent),
 * a CSAT call three days after a purchase over 50 €, and an NPS email a week after any purchase.
 * (Plans react to purchases only; there is no return trigger for an SMS survey.)
 */
export async function seedDemoFollowupPlans(
  plans: FollowupPlansService,
  by: Principal,
): Promise<void> {
  await plans.create(
    {
      name: 'Llamada de bienvenida (primera compra)',
      channel: 'call',
      delay: 'PT0S',
      surveyKind: 'csat',
      conditions: { firstPurchase: true },
      maxAttempts: 3,
      retryDelay: 'PT4H',
    },
    by,
  );
  await plans.create(
    {
      name: 'Llamada a los 3 días (compras de más de 50 €)',
      channel: 'call',
      delay: 'P3D',
      surveyKind: 'csat',
      conditions: { minTotalCents: 5000 },
      maxAttempts: 3,
      retryDelay: 'PT4H',
      quietHours: { from: '21:00', to: '09:00' },
    },
    by,
  );
  await plans.create(
    {
      name: 'Encuesta NPS por email a los 7 días',
      channel: 'email',
      delay: 'P7D',
      surveyKind: 'nps',
      quietHours: { from: '21:00', to: '09:00' },
    },
    by,
  );
}

/** The welcome calls fall due at once: into the agents' queue now, not at the next tick. */
export async function dispatchDemoFollowups(dispatcher: FollowupDispatcher): Promise<void> {
  await dispatcher.dispatchDue();
}
