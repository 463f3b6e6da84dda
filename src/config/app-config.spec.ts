import { ConfigError, loadConfig } from './load-config';

describe('loadConfig', () => {
  it('gives working defaults with an empty environment', () => {
    const config = loadConfig({}, {});
    expect(config.PORT).toBe(3000);
    expect(config.HOST).toBe('127.0.0.1');
    expect(config.RUN_MIGRATIONS).toBe(true);
    expect(config.SEED_DEMO).toBe(true);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.publicUrl).toBe('http://localhost:3000');
  });

  it('seeds no demo accounts in production unless asked (issue 13)', () => {
    expect(loadConfig({}, { NODE_ENV: 'production' }).SEED_DEMO).toBe(false);
    expect(loadConfig({}, { NODE_ENV: 'production', SEED_DEMO: 'true' }).SEED_DEMO).toBe(true);
    expect(loadConfig({}, { NODE_ENV: 'development' }).SEED_DEMO).toBe(true);
    expect(loadConfig({}, { NODE_ENV: 'test', SEED_DEMO: '' }).SEED_DEMO).toBe(true);
  });

  it.each([
    ['false', false],
    ['true', true],
    ['loopback', 'loopback'],
    ['10.0.0.0/8, 192.168.0.1', '10.0.0.0/8, 192.168.0.1'],
  ])('TRUST_PROXY=%s trusts %p (none by default)', (raw, expected) => {
    expect(loadConfig({}, {}).trustProxy).toBe(false);
    expect(loadConfig({}, { TRUST_PROXY: raw }).trustProxy).toEqual(expected);
  });

  it.each([
    ['PORT', '3001', 3001],
    ['SEED_DEMO', 'false', false],
    ['SEED_DEMO', '0', false],
    ['RUN_MIGRATIONS', 'yes', true],
    ['EMBEDDED_PG_PORT', '54321', 54321],
  ])('reads %s=%s as %p', (key, raw, expected) => {
    expect((loadConfig({}, { [key]: raw }) as unknown as Record<string, unknown>)[key]).toBe(
      expected,
    );
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['SEED_DEMO', 'maybe'],
    ['NODE_ENV', 'staging'],
    ['BOOTSTRAP_ADMIN_EMAIL', 'not-an-email'],
    ['JWT_SECRET', 'short'],
    ['PUBLIC_URL', 'fidelia.example.com'],
  ])('stops with a message naming %s for %p', (key, raw) => {
    expect(() => loadConfig({}, { [key]: raw })).toThrow(ConfigError);
    expect(() => loadConfig({}, { [key]: raw })).toThrow(
      new RegExp(`^Invalid configuration:\\n  ${key}=`),
    );
  });

  it('names every bad variable at once', () => {
    try {
      loadConfig({}, { PORT: 'x', LOG_LEVEL: 'loud' });
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect((err as Error).message).toContain('PORT=');
      expect((err as Error).message).toContain('LOG_LEVEL=');
    }
  });

  it('ignores variables it does not know', () => {
    const config = loadConfig({}, { PATH: '/usr/bin', HOME: '/root' }) as unknown as Record<
      string,
      unknown
    >;
    expect(config.PATH).toBeUndefined();
  });
});
