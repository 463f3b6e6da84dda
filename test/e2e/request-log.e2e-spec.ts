import { startTestApp, TestApp } from '../utils/test-app';

/**
 * The request log (nestjs-pino). A file of its own: nestjs-pino keeps one pino-http instance per
 * process, built with the options of the first application that starts.
 */
describe('request log', () => {
  const lines: string[] = [];
  /** Conditions a test awaits; each is dropped once it holds. */
  const waiting: { holds: () => boolean; resolve: () => void }[] = [];
  const write = (line: string) => {
    lines.push(line);
    for (const w of [...waiting]) {
      if (!w.holds()) continue;
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve();
    }
  };
  /** Resolves when `holds()` is true: at once, or when the line that makes it so is written. */
  const logged = (holds: () => boolean) =>
    holds() ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ holds, resolve }));
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'info' }, { logDestination: { write } });
  });
  afterAll(async () => {
    expect(waiting).toEqual([]);
    await t.close();
  });

  it('logs every request once with its id, method, path and status, and no query or headers', async () => {
    const id = 'log-test-000001';
    await t.http.get('/login?lang=en&email=ana@example.com').set('X-Request-Id', id).expect(200);
    await t.http.post('/api/auth/login').set('X-Request-Id', `${id}-2`).send({}).expect(400);
    const entries = () =>
      lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((entry) => String(entry.requestId).startsWith(id));
    // pino-http writes when the response has finished, which may be just after the client has it.
    await logged(() => entries().length >= 2);
    expect(entries()).toEqual([
      expect.objectContaining({
        requestId: id,
        req: { id, method: 'GET', path: '/login' },
        res: { statusCode: 200 },
      }),
      expect.objectContaining({
        requestId: `${id}-2`,
        req: { id: `${id}-2`, method: 'POST', path: '/api/auth/login' },
        res: { statusCode: 400 },
      }),
    ]);
    expect(lines.join('\n')).not.toContain('ana@example.com');
  });

  it('leaves out health checks and assets', async () => {
    await t.http.get('/health').set('X-Request-Id', 'log-test-health').expect(200);
    await t.http.get('/assets/css/fidelia.css').set('X-Request-Id', 'log-test-asset').expect(200);
    await t.http.get('/login').set('X-Request-Id', 'log-test-after').expect(200);
    const ids = () => lines.map((line) => (JSON.parse(line) as { requestId?: string }).requestId);
    await logged(() => ids().includes('log-test-after'));
    expect(ids()).toContain('log-test-after');
    expect(ids()).not.toContain('log-test-health');
    expect(ids()).not.toContain('log-test-asset');
  });
});
