import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppModule } from '../app.module';
import { projectRoot } from '../common';
import { ConfigError, loadConfig } from '../config';
import { resolveDatabase, revertLastMigration, runMigrations } from '../database';
import { TASKS } from './tasks';

const say = (message: string) => process.stdout.write(`${message}\n`);

const DB_TASKS: Record<string, string> = {
  migrate: 'apply pending migrations',
  'migrate:revert': 'revert the last migration',
  'migrate:create': 'create an empty migration: migrate:create VerbNoun',
  'db:url': 'print the database URL in use (embedded or DATABASE_URL)',
};

/**
 * Command-line tasks on the same database as `npm start` for the same DATA_DIR: the running
 * embedded server if there is one, else one started for the task and stopped after it.
 */
async function main(): Promise<number> {
  const [task, ...args] = process.argv.slice(2);
  if (!task || task === 'help' || (!(task in TASKS) && !(task in DB_TASKS))) {
    say('usage: npm run cli -- <task> [args]\n');
    for (const [name, text] of Object.entries(DB_TASKS)) say(`  ${name.padEnd(16)} ${text}`);
    for (const [name, t] of Object.entries(TASKS)) say(`  ${name.padEnd(16)} ${t.description}`);
    return task && task !== 'help' ? 2 : 0;
  }
  if (task === 'migrate:create') return createMigration(args[0]);

  const config = loadConfig();
  const db = await resolveDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.dataDir,
    embeddedPort: config.EMBEDDED_PG_PORT,
    log: (m) => process.stderr.write(`${m}\n`),
  });
  try {
    switch (task) {
      case 'migrate': {
        const applied = await runMigrations(db.url);
        say(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations');
        return 0;
      }
      case 'migrate:revert':
        await revertLastMigration(db.url);
        say('reverted the last migration');
        return 0;
      case 'db:url':
        say(db.url);
        return 0;
    }
    if (config.RUN_MIGRATIONS) await runMigrations(db.url);
    const app = await NestFactory.createApplicationContext(
      AppModule.forRoot(loadConfig({ LOG_LEVEL: 'warn' }), db.url, { schedule: false }),
      { logger: ['error', 'warn'] },
    );
    try {
      return await TASKS[task].run({ app, args, say });
    } finally {
      await app.close();
    }
  } finally {
    await db.stop();
  }
}

function createMigration(name: string | undefined): number {
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
    say('migrate:create needs a VerbNoun name, e.g. migrate:create AddMemberTags');
    return 2;
  }
  const ts = Date.now();
  const file = join(projectRoot(), 'migrations', `${ts}-${name}.ts`);
  writeFileSync(
    file,
    `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${name}${ts} implements MigrationInterface {
  name = '${name}${ts}';

  async up(q: QueryRunner): Promise<void> {
    await q.query(\`\`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(\`\`);
  }
}
`,
  );
  say(`created ${file}\nadd ${name}${ts} to migrations/index.ts`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(
      err instanceof ConfigError ? `${err.message}\n` : `${(err as Error).stack ?? String(err)}\n`,
    );
    process.exit(1);
  },
);
