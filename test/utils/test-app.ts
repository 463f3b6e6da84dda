import { JwtService } from '@nestjs/jwt';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { AppModuleOptions } from '../../src/app.module';
import { createApp } from '../../src/app.setup';
import { Clock, StaffRole } from '../../src/common';
import { AppConfig, loadConfig } from '../../src/config';
import { StaffService } from '../../src/modules/auth';
import { LedgerCheckService } from '../../src/modules/ledger';
import { StoresService } from '../../src/modules/stores';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestApp {
  app: NestFastifyApplication;
  /** supertest agent bound to the app's server. */
  http: ReturnType<typeof request>;
  config: AppConfig;
  db: TestDatabase;
  dataSource: DataSource;
  clock: Clock;
  dataDir: string;
  /** A store, created on first use. */
  store(): Promise<{ id: string; code: string }>;
  /** A staff user with these roles, and a bearer token for it. */
  staff(
    roles: StaffRole[] | StaffRole,
    opts?: { storeId?: string },
  ): Promise<{ id: string; email: string; password: string; token: string }>;
  /** Shorthand: { Authorization: 'Bearer …' } for a staff user with these roles. */
  auth(
    roles: StaffRole[] | StaffRole,
    opts?: { storeId?: string },
  ): Promise<Record<string, string>>;
  /** Invariant 1 for every member (ledger:check finds no difference). */
  expectLedgerClean(): Promise<void>;
  /** A member enrolled through the API (all consents given unless overridden), with its card and session. */
  member(overrides?: Record<string, unknown>): Promise<TestMember>;
  close(): Promise<void>;
}

export interface TestMember {
  id: string;
  email: string;
  /** The card number as printed (16 digits). */
  number: string;
  /** { Authorization: 'Bearer …' } for the member's own session. */
  auth: Record<string, string>;
}

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

let counter = 0;

/**
 * The real application on its own fresh database (a copy of the migrated template), with no
 * scheduler and no demo data. Listening on 127.0.0.1 on a free port for browser tests.
 */
export async function startTestApp(
  overrides: Record<string, unknown> = {},
  options: Pick<AppModuleOptions, 'logDestination'> = {},
): Promise<TestApp> {
  const db = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'fidelia-app-'));
  const config = loadConfig(
    {
      NODE_ENV: 'test',
      JWT_SECRET: TEST_JWT_SECRET,
      LOG_LEVEL: 'silent',
      SEED_DEMO: 'false',
      DATA_DIR: dataDir,
      AUTH_RATE_LIMIT_PER_MINUTE: '10000',
      ...overrides,
    },
    {},
  );
  const app = await createApp(config, db.url, { ...options, schedule: false, logger: false });
  await app.init();
  // Fastify adds its routes and plugins on ready(); supertest talks to the bare Node server.
  await app.getHttpAdapter().getInstance().ready();
  const http = request(app.getHttpServer());
  let store: { id: string; code: string } | undefined;

  const t: TestApp = {
    app,
    http,
    config,
    db,
    dataSource: app.get(DataSource),
    clock: app.get(Clock),
    dataDir,
    async store() {
      store ??= await app
        .get(StoresService)
        .create({ code: `T-${++counter}`, name: 'Test store', timeZone: 'Europe/Madrid' });
      return store;
    },
    async staff(roles, opts = {}) {
      const list = Array.isArray(roles) ? roles : [roles];
      const email = `${list.join('-')}-${++counter}-${Date.now()}@example.com`;
      const password = 'correct-horse-battery';
      const user = await app
        .get(StaffService)
        .create({ email, name: 'Test', password, roles: list, storeId: opts.storeId });
      const res = await http.post('/api/auth/login').send({ email, password });
      if (res.status !== 200)
        throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { id: user.id, email, password, token: res.body.accessToken as string };
    },
    async auth(roles, opts) {
      return { Authorization: `Bearer ${(await t.staff(roles, opts)).token}` };
    },
    async expectLedgerClean() {
      expect((await app.get(LedgerCheckService).check()).mismatches).toEqual([]);
    },
    async member(overrides = {}) {
      const email = `member-${++counter}-${Date.now()}@example.com`;
      const res = await http
        .post('/api/members')
        .set(await t.auth('cashier'))
        .send({
          firstName: 'Ana',
          lastName: 'García',
          email,
          locale: 'es',
          consents: { terms: true, followup: true, calls: true, profiling: true },
          ...overrides,
        });
      if (res.status !== 201)
        throw new Error(`enrolment failed: ${res.status} ${JSON.stringify(res.body)}`);
      const id = res.body.id as string;
      const token = new JwtService({ secret: TEST_JWT_SECRET }).sign({ sub: id, kind: 'member' });
      return {
        id,
        email: res.body.email as string,
        number: res.body.card.number as string,
        auth: { Authorization: `Bearer ${token}` },
      };
    },
    async close() {
      await app.close();
      await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}
