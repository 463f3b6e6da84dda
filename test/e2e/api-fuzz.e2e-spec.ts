import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { ApiKeysService } from '../../src/modules/auth';
import { startTestApp, TestApp } from '../utils/test-app';

/**
 * Issue 13: a property-based fuzzer over every route of the OpenAPI document — bodies built from
 * each operation's schema (valid values, wrong types, hostile strings, deep nesting), query
 * strings, path parameters and headers, sent with every kind of credential. Properties: no 5xx;
 * every error in the JSON error shape; no stack trace in any body; no personal data in an
 * error body. FUZZ_RUNS sets the number of requests (10,000 by default, in `npm test`).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  nullable?: boolean;
};
interface Operation {
  method: string;
  path: string;
  pathParams: string[];
  query: { name: string; schema: Schema }[];
  body?: Schema;
}

/** Strings that broke, or could break, something: control characters, sizes, encodings, SQL. */
const HOSTILE = [
  '',
  ' ',
  '   ',
  '\u0000',
  'a\u0000b',
  '\u001b[31m',
  '\ud800',
  '😀',
  'Ñandú',
  "'; DROP TABLE members; --",
  '%00',
  '%s%n',
  '../../etc/passwd',
  '__proto__',
  'constructor',
  'null',
  '-1',
  '1e309',
  '9223372036854775808',
  '2147483648',
  '0x10',
  'x'.repeat(5000),
  '<script>alert(1)</script>',
  '+34600111222 ext. 45',
  '2020-02-30',
  '9999-12-31T23:59:59Z',
];

/** A path segment; a lone surrogate cannot be encoded, so it goes as invalid UTF-8 bytes. */
function encodePart(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
}

describe('API fuzzer (fast-check over the OpenAPI document)', () => {
  let t: TestApp;
  let operations: Operation[];
  let components: Record<string, Schema>;
  const ids: string[] = [];
  /** Personal data that must never appear in an error body. */
  const secrets: string[] = [];
  let credentials: Record<string, string>[];

  beforeAll(async () => {
    t = await startTestApp({ SIGN_IN_FAILURES_PER_ACCOUNT: '1000000' });
    const store = await t.store();
    const admin = await t.staff(['admin', 'marketing', 'supervisor', 'agent', 'cashier']);
    const cashier = await t.staff('cashier', { storeId: store.id });
    const key = await t.app.get(ApiKeysService).create({ name: 'Fuzz till', storeId: store.id });
    const member = await t.member({
      firstName: 'Zelmira',
      lastName: 'Fuzzingham',
      phone: '+34611222333',
    });
    secrets.push(member.email, 'Zelmira', 'Fuzzingham', '+34611222333', '611222333', member.number);
    ids.push(member.id, store.id, admin.id, cashier.id, key.id);
    credentials = [
      {},
      { Authorization: `Bearer ${admin.token}` },
      { Authorization: `Bearer ${cashier.token}` },
      { 'X-Api-Key': key.key },
      member.auth,
      { Authorization: 'Bearer not.a.token' },
      { 'X-Api-Key': 'fdl_AAAAAAAA_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    ];
    const doc = (await t.http.get('/api/docs-json').expect(200)).body as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
      components?: { schemas?: Record<string, Schema> };
    };
    components = doc.components?.schemas ?? {};
    operations = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const params = (op.parameters ?? []) as { name: string; in: string; schema?: Schema }[];
        const body = (
          op.requestBody as { content?: Record<string, { schema?: Schema }> } | undefined
        )?.content?.['application/json']?.schema;
        operations.push({
          method: method.toUpperCase(),
          path,
          pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
          query: params
            .filter((p) => p.in === 'query')
            .map((p) => ({ name: p.name, schema: p.schema ?? { type: 'string' } })),
          body,
        });
      }
    }
  });
  afterAll(() => t.close());

  const resolve = (s: Schema): Schema =>
    s.$ref ? resolve(components[s.$ref.replace('#/components/schemas/', '')] ?? {}) : s;

  const hostile = fc.constantFrom(...HOSTILE);
  const junk: fc.Arbitrary<unknown> = fc.oneof(
    hostile,
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant([]),
    fc.constant({}),
    fc.constant({ __proto__: { admin: true } }),
    fc.jsonValue({ maxDepth: 3 }),
  );
  const uuid = () => fc.oneof(fc.constantFrom(...ids), fc.uuid(), hostile);

  function valueFor(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
    const s = resolve(schema);
    const variants = [...(s.allOf ?? []), ...(s.oneOf ?? []), ...(s.anyOf ?? [])];
    if (variants.length && !s.type && !s.properties)
      return fc.oneof(...variants.map((v) => valueFor(v, depth)));
    let typed: fc.Arbitrary<unknown>;
    if (s.enum?.length) typed = fc.constantFrom(...s.enum);
    else if (s.type === 'string' && s.format === 'uuid') typed = uuid();
    else if (s.type === 'string' && (s.format === 'date-time' || s.format === 'date'))
      typed = fc.oneof(
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
        fc.constantFrom('2026-12-01', '2020-01-01', '2030-06-30T10:00:00Z'),
      );
    else if (s.type === 'string') typed = fc.oneof(fc.string({ maxLength: 40 }), hostile);
    else if (s.type === 'integer' || s.type === 'number')
      typed = fc.oneof(
        fc.integer({ min: -1000, max: 100_000 }),
        fc.constantFrom(0, -1, 1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1.5, 1e308),
      );
    else if (s.type === 'boolean') typed = fc.boolean();
    else if (s.type === 'array')
      typed =
        depth > 3
          ? fc.constant([])
          : fc.array(valueFor(s.items ?? {}, depth + 1), { maxLength: 3 });
    else if (s.properties && depth <= 3) {
      const props: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(s.properties)) props[k] = valueFor(v, depth + 1);
      typed = fc.record(props, { requiredKeys: [] });
    } else typed = junk;
    return fc.oneof({ weight: 6, arbitrary: typed }, { weight: 1, arbitrary: junk });
  }

  function requestFor(op: Operation) {
    const params = fc.record(Object.fromEntries(op.pathParams.map((p) => [p, uuid()])));
    const query = fc.record(
      Object.fromEntries([
        ...op.query.map((q) => [
          q.name,
          fc.oneof(valueFor(q.schema).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))),
        ]),
        ['unexpected', fc.string({ maxLength: 10 })],
      ]) as Record<string, fc.Arbitrary<string>>,
      { requiredKeys: [] },
    );
    const body: fc.Arbitrary<unknown> = op.body
      ? fc.oneof({ weight: 8, arbitrary: valueFor(op.body) }, { weight: 1, arbitrary: junk })
      : fc.oneof(fc.constant(undefined), junk);
    const raw = fc.oneof(
      { weight: 12, arbitrary: fc.constant(undefined) },
      {
        weight: 1,
        arbitrary: fc.constantFrom(
          '{"a":',
          '['.repeat(5000) + ']'.repeat(5000),
          '{"__proto__":{"x":1}}',
          '{"constructor":{"prototype":{"x":1}}}',
          'a=1&b=2',
          '\u0000',
        ),
      },
    );
    const headers = fc.record(
      {
        auth: fc.constantFrom(...credentials.keys()),
        idempotencyKey: fc.oneof(
          fc.uuid(),
          fc.constantFrom('short', 'x'.repeat(300), 'k\u00e9y-000001'),
        ),
        contentType: fc.constantFrom(
          'application/json',
          'application/json',
          'application/json',
          'application/x-www-form-urlencoded',
          'text/plain',
          'application/xml',
        ),
        language: fc.constantFrom('es', 'en', 'fr;q=0.1', '*', ''),
      },
      { requiredKeys: ['auth', 'contentType'] },
    );
    return fc.record({ op: fc.constant(op), params, query, body, raw, headers });
  }

  const STACK = /\bat [\w.<>]+ \(|node_modules|\.ts:\d+|Error: .*\n/;

  it(`answers ${RUNS} generated requests without a 5xx, in the error shape, leaking nothing`, async () => {
    expect(operations.length).toBeGreaterThan(30);
    const started = Date.now();
    const statuses = new Map<number, number>();
    const timing = new Map<string, [number, number]>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...operations).chain((op) => requestFor(op)),
        async ({ op, params, query, body, raw, headers }) => {
          const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) =>
            encodePart(params[name] ?? randomUUID()),
          );
          const qs = new URLSearchParams(query as Record<string, string>).toString();
          const json =
            op.method === 'GET' || op.method === 'DELETE'
              ? undefined
              : (raw ?? (body === undefined ? undefined : JSON.stringify(body)));
          const t0 = process.hrtime.bigint();
          const res = await t.app.inject({
            method: op.method as 'GET',
            url: qs ? `${path}?${qs}` : path,
            headers: {
              ...credentials[headers.auth],
              ...(headers.idempotencyKey ? { 'idempotency-key': headers.idempotencyKey } : {}),
              ...(headers.language !== undefined ? { 'accept-language': headers.language } : {}),
              ...(json !== undefined ? { 'content-type': headers.contentType } : {}),
            },
            ...(json !== undefined ? { payload: json } : {}),
          });
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
          const ms = Number(process.hrtime.bigint() - t0) / 1e6;
          const k = `${op.method} ${op.path} ${res.statusCode}`;
          const e = timing.get(k) ?? [0, 0];
          timing.set(k, [e[0] + 1, e[1] + ms]);
          const where = `${op.method} ${op.path} → ${res.statusCode}: ${res.body.slice(0, 300)}`;
          if (res.statusCode >= 500) throw new Error(`5xx: ${where}`);
          if (STACK.test(res.body)) throw new Error(`stack trace in body: ${where}`);
          if (res.statusCode >= 400) {
            const err = res.json<Record<string, unknown>>();
            const shaped =
              err.statusCode === res.statusCode &&
              typeof err.error === 'string' &&
              typeof err.message === 'string' &&
              (err.details === undefined || Array.isArray(err.details));
            if (!shaped) throw new Error(`not the error shape: ${where}`);
            const leaked = secrets.find((s) => res.body.includes(s));
            if (leaked) throw new Error(`personal data in an error body: ${where}`);
          }
        },
      ),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31) },
    );
    const seconds = (Date.now() - started) / 1000;
    if (process.env.FUZZ_PROFILE)
      process.stdout.write(
        [...timing]
          .sort((a, b) => b[1][1] - a[1][1])
          .slice(0, 15)
          .map(([k, [n, ms]]) => `${k}: ${n} × ${(ms / n).toFixed(1)} ms = ${ms.toFixed(0)}`)
          .join('\n') + '\n',
      );
    process.stdout.write(
      `fuzz: ${RUNS} requests over ${operations.length} operations in ${seconds.toFixed(1)} s; ` +
        `statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}\n`,
    );
  }, 600_000);
});
