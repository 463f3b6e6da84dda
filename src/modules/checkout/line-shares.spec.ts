import { allocate, shareForReturn } from './line-shares';

describe('allocate', () => {
  it.each([
    [100, [1, 1, 1], [34, 33, 33]],
    [59, [5999, 0], [59, 0]],
    [10, [3, 7], [3, 7]],
    [7, [1, 2, 4], [1, 2, 4]],
    [1, [1, 1], [1, 0]],
    [5, [0, 0], [5, 0]],
    [0, [3, 4], [0, 0]],
    [3, [], []],
  ])('%d over %j → %j', (total, weights, shares) => {
    const r = allocate(total, weights);
    expect(r).toEqual(shares);
    if (weights.length) expect(r.reduce((a, b) => a + b, 0)).toBe(total);
  });
});

describe('shareForReturn', () => {
  it.each([
    [10, 3, 0, 1, 3],
    [10, 3, 1, 1, 3],
    [10, 3, 2, 1, 4],
    [10, 3, 0, 3, 10],
    [59, 1, 0, 1, 59],
    [0, 2, 0, 1, 0],
  ])('%d points, qty %d, %d back before, %d now → %d', (points, qty, before, now, expected) => {
    expect(shareForReturn(points, qty, before, now)).toBe(expected);
  });

  it('gives back exactly the total over any sequence of partial returns', () => {
    for (const points of [1, 7, 59, 100, 1001]) {
      for (const qty of [1, 2, 3, 7]) {
        let sum = 0;
        for (let i = 0; i < qty; i++) sum += shareForReturn(points, qty, i, 1);
        expect(sum).toBe(points);
      }
    }
  });
});
