import { RequestMethod } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { IS_PUBLIC, ROLES } from '../../src/common';
import { startTestApp, TestApp } from '../utils/test-app';

interface Route {
  method: string;
  path: string;
  isPublic: boolean;
  roles: string[];
}

const METHODS: Record<number, string> = {
  [RequestMethod.GET]: 'get',
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.PATCH]: 'patch',
  [RequestMethod.DELETE]: 'delete',
  [RequestMethod.ALL]: 'get',
  [RequestMethod.OPTIONS]: 'options',
  [RequestMethod.HEAD]: 'head',
};

/** Every route the application registers, read from the controllers' metadata. */
function enumerateRoutes(t: TestApp): Route[] {
  const discovery = t.app.get(DiscoveryService, { strict: false });
  const scanner = new MetadataScanner();
  const reflector = new Reflector();
  const routes: Route[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as (new () => unknown) | undefined;
    if (!controller) continue;
    const prefixes = ([] as string[]).concat(Reflect.getMetadata('path', controller) ?? '/');
    for (const name of scanner.getAllMethodNames(controller.prototype)) {
      const handler = (controller.prototype as Record<string, unknown>)[name] as object;
      const method = Reflect.getMetadata('method', handler) as number | undefined;
      if (method === undefined) continue;
      const paths = ([] as string[]).concat(Reflect.getMetadata('path', handler) ?? '/');
      const isPublic =
        reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler as never, controller]) ?? false;
      const roles =
        reflector.getAllAndOverride<string[]>(ROLES, [handler as never, controller]) ?? [];
      for (const prefix of prefixes) {
        for (const p of paths) {
          const path = `/${[prefix, p]
            .map((s) => s.replace(/^\/|\/$/g, ''))
            .filter(Boolean)
            .join('/')}`;
          routes.push({ method: METHODS[method], path, isPublic, roles });
        }
      }
    }
  }
  return routes;
}

const SOME_UUID = '00000000-0000-4000-8000-000000000000';
const concrete = (path: string) => path.replace(/:[A-Za-z]+/g, SOME_UUID);

describe('every route is public or guarded', () => {
  let t: TestApp;
  let routes: Route[];

  beforeAll(async () => {
    t = await startTestApp();
    routes = enumerateRoutes(t);
  });
  afterAll(() => t.close());

  it('finds the routes of every module', () => {
    const paths = routes.map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(
      expect.arrayContaining([
        'post /api/auth/login',
        'get /health',
        'get /api/stores',
        'post /api/members',
      ]),
    );
    expect(routes.length).toBeGreaterThan(15);
  });

  it('declares @Public() or at least one role on each route', () => {
    const undeclared = routes
      .filter((r) => !r.isPublic && r.roles.length === 0)
      .map((r) => `${r.method} ${r.path}`);
    expect(undeclared).toEqual([]);
  });

  it('answers 401 without credentials on every non-public route', async () => {
    const failures: string[] = [];
    for (const r of routes.filter((x) => !x.isPublic)) {
      const res = await (
        t.http as unknown as Record<
          string,
          (p: string) => Promise<{ status: number; body: { statusCode?: number } }>
        >
      )[r.method](concrete(r.path));
      if (res.status !== 401 || res.body.statusCode !== 401)
        failures.push(`${r.method} ${r.path} → ${res.status}`);
    }
    expect(failures).toEqual([]);
  });

  it('answers 403 to a staff role the route does not name', async () => {
    // A role no route names for itself alone would prove little; use each staff role in turn.
    const tokens: Record<string, string> = {};
    for (const role of ['admin', 'marketing', 'cashier', 'agent', 'supervisor'] as const)
      tokens[role] = (await t.staff(role)).token;
    const failures: string[] = [];
    for (const r of routes.filter((x) => !x.isPublic && !x.roles.includes('staff'))) {
      for (const [role, token] of Object.entries(tokens)) {
        if (r.roles.includes(role)) continue;
        const res = await (
          t.http as unknown as Record<
            string,
            (p: string) => { set(h: string, v: string): Promise<{ status: number }> }
          >
        )
          [r.method](concrete(r.path))
          .set('Authorization', `Bearer ${token}`);
        if (res.status !== 403) failures.push(`${role}: ${r.method} ${r.path} → ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("never lets a member reach another member's records", async () => {
    const ana = await t.member();
    const bob = await t.member();
    const memberRoutes = routes.filter(
      (r) => r.roles.includes('member') && r.path.startsWith('/api/members/:id'),
    );
    expect(memberRoutes.length).toBeGreaterThan(5);
    const leaks: string[] = [];
    for (const r of memberRoutes) {
      const path = r.path.replace(':id', ana.id).replace(/:[A-Za-z]+/g, SOME_UUID);
      const call = (
        t.http as unknown as Record<
          string,
          (p: string) => {
            set(h: Record<string, string>): {
              send(b: object): Promise<{ status: number; body: unknown }>;
            };
          }
        >
      )[r.method];
      const res = await call(path).set(bob.auth).send({});
      // Reads must answer 403/404; a write may stop earlier at its body (400), never succeed.
      const refused =
        r.method === 'get'
          ? [403, 404].includes(res.status)
          : res.status >= 400 && res.status < 500;
      if (!refused) leaks.push(`${r.method} ${r.path} → ${res.status}`);
    }
    expect(leaks).toEqual([]);
    // and the member's own card answers, so the refusals above are about ownership
    expect((await t.http.get(`/api/members/${ana.id}/card`).set(ana.auth)).status).toBe(200);
  });

  it('answers unknown routes with the JSON error shape', async () => {
    const res = await t.http.get('/api/does-not-exist');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
  });
});
