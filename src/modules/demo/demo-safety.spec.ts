import { isLoopbackHost } from './demo-safety';

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.10', false],
    ['10.0.0.1', false],
    ['example.com', false],
    ['128.0.0.1', false],
  ])('%s → %p', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});
