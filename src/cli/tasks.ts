import type { INestApplicationContext } from '@nestjs/common';
import { DemoService } from '../modules/demo';

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
};
