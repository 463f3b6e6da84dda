import { answerNoSoonerThan } from './answer-floor';

describe('answerNoSoonerThan', () => {
  it('holds a fast answer until the floor, and a failure too', async () => {
    let t0 = performance.now();
    await expect(answerNoSoonerThan(40, async () => 'ok')).resolves.toBe('ok');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(39);
    t0 = performance.now();
    await expect(
      answerNoSoonerThan(40, async () => {
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(39);
  });

  it('adds nothing to work slower than the floor', async () => {
    const t0 = performance.now();
    await answerNoSoonerThan(0, async () => 1);
    expect(performance.now() - t0).toBeLessThan(30);
  });
});
