import type { INestApplicationContext } from '@nestjs/common';
import { DemoService } from '../modules/demo';
import { runLedgerCheck, runLedgerExpire } from '../modules/ledger/cli';
import { EarningService, TiersService } from '../modules/promotions';
import { SatisfactionService } from '../modules/satisfaction';

export interface CliTask {
  description: string;
  /** Needs the application (services) rather than only a database URL. */
  run(ctx: {
    app: INestApplicationContext;
    args: string[];
    say: (m: string) => void;
  }): Promise<number>;
}

/** `npm run cli -- <task>`: tasks that need the app's services. Modules add theirs here. */
export const TASKS: Record<string, CliTask> = {
  seed: {
    description: 'seed the demo data into an empty database',
    async run({ app, say }) {
      const result = await app.get(DemoService).seedIfEmpty();
      say(result.seeded ? 'demo data seeded' : 'database not empty: nothing seeded');
      if (result.posApiKey) say(`demo POS API key (shown once): ${result.posApiKey}`);
      return 0;
    },
  },
  'ledger:check': {
    description: 'verify points invariant 1 for every member (exit 1 on any difference)',
    run: ({ app, say }) => runLedgerCheck(app, say),
  },
  'ledger:expire': {
    description: 'release pending points and expire lots that are due, now',
    run: ({ app, say }) => runLedgerExpire(app, say),
  },
  'tiers:recalculate': {
    description: 'recalculate member tiers now (upgrades; downgrades after the grace period)',
    async run({ app, say }) {
      const r = await app.get(TiersService).recalculate();
      say(`${r.members} member(s): ${r.upgraded} upgraded, ${r.downgraded} downgraded`);
      return 0;
    },
  },
  'reports:rebuild': {
    description:
      "rebuild the satisfaction report's daily roll-up from the answers (after a store's time zone or REPORTS_TIME_ZONE changes)",
    async run({ app, say }) {
      const started = Date.now();
      await app.get(SatisfactionService).rebuildDaily();
      say(`satisfaction roll-up rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return 0;
    },
  },
  'promotions:birthdays': {
    description:
      "birthday bonus for today's birthdays, or for [YYYY-MM-DD] (once per member and year)",
    async run({ app, args, say }) {
      const m = args[0] ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(args[0]) : null;
      if (args[0] && !m) {
        say('usage: promotions:birthdays [YYYY-MM-DD]');
        return 2;
      }
      const day = m ? { year: +m[1], month: +m[2], day: +m[3] } : undefined;
      const r = await app.get(EarningService).birthdayRun(day);
      say(`birthdays ${r.date}: ${r.members} member(s), ${r.awarded} bonus(es) awarded`);
      return 0;
    },
  },
};
