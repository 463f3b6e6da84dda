import 'reflect-metadata';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from './app.setup';
import { AppConfig, ConfigError, loadConfig } from './config';
import { resolveDatabase, runMigrations } from './database';
import { StaffService } from './modules/auth';
import { DemoService } from './modules/demo';

const say = (message: string) => process.stdout.write(`[fidelia] ${message}\n`);

async function main() {
  const startedAt = Date.now();
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example for every variable.\n`);
      process.exit(1);
    }
    throw err;
  }

  const db = await resolveDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.dataDir,
    embeddedPort: config.EMBEDDED_PG_PORT,
    log: say,
  });
  let app: NestFastifyApplication | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping`);
    try {
      await app?.close();
    } finally {
      await db.stop();
      say('stopped');
      process.exit(0);
    }
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    if (config.RUN_MIGRATIONS) {
      const applied = await runMigrations(db.url);
      if (applied.length) say(`applied ${applied.length} migration(s)`);
    }
    app = await createApp(config, db.url);

    if (config.BOOTSTRAP_ADMIN_EMAIL && config.BOOTSTRAP_ADMIN_PASSWORD) {
      await app
        .get(StaffService)
        .bootstrapAdmin(config.BOOTSTRAP_ADMIN_EMAIL, config.BOOTSTRAP_ADMIN_PASSWORD);
    }
    const seed = config.SEED_DEMO ? await app.get(DemoService).seedIfEmpty() : { seeded: false };
    // Demo passwords are published: with one still working, listen on loopback only (issue 13).
    if (!app.get(DemoService).isLoopbackHost(config.HOST)) {
      const demo = await app.get(DemoService).demoPasswordsInUse();
      if (demo.length) {
        throw new Error(
          `refusing to listen on ${config.HOST}: demo staff with the published password: ${demo.join(', ')}. ` +
            'Change their passwords or deactivate them (or listen on 127.0.0.1), and set SEED_DEMO=false.',
        );
      }
    }

    await app.listen(config.PORT, config.HOST);
    const base = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${config.PORT}`;
    say(
      `ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s on ${base}  (database: ${db.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'})`,
    );
    say(`  home        ${base}/`);
    say(`  staff       ${base}/login     till ${base}/till   marketing ${base}/marketing`);
    say(`  members     ${base}/join      ${base}/me`);
    say(`  API docs    ${base}/api/docs  health ${base}/health`);
    if (config.SEED_DEMO) {
      say('demo staff (email / password):');
      for (const u of app.get(DemoService).staffSignIns())
        say(`  ${u.roles.join(',').padEnd(11)} ${u.email.padEnd(24)} ${u.password}`);
      if (seed.posApiKey) say(`demo POS API key (shown once): ${seed.posApiKey}`);
    }
    say('Ctrl-C stops the server and the embedded database.');
  } catch (err) {
    process.stderr.write(`[fidelia] start failed: ${(err as Error).stack ?? String(err)}\n`);
    await app?.close().catch(() => undefined);
    await db.stop();
    process.exit(1);
  }
}

void main();
