import { encodeCursor, keysetCursor, keysetPage } from './pagination';

describe('keyset paging helpers', () => {
  const rows = [5, 4, 3, 2, 1].map((id) => ({ id }));

  it.each([
    [1, [5], [5]],
    [2, [5, 4], [4]],
    [4, [5, 4, 3, 2], [2]],
  ])('limit %i: a page of the first rows and the cursor of its last', (limit, ids, cursor) => {
    const page = keysetPage(
      rows.slice(0, limit + 1),
      limit,
      (r) => [r.id],
      (r) => r.id,
    );
    expect(page.items).toEqual(ids);
    expect(page.nextCursor).toBe(encodeCursor(cursor));
  });

  it('no cursor when the rows fit in the page', () => {
    expect(
      keysetPage(
        rows,
        5,
        (r) => [r.id],
        (r) => r,
      ).nextCursor,
    ).toBeNull();
    expect(
      keysetPage(
        [],
        5,
        (r: { id: number }) => [r.id],
        (r) => r,
      ).nextCursor,
    ).toBeNull();
  });

  it('walking pages returns every row once, in order', () => {
    const all = Array.from({ length: 23 }, (_, i) => 100 - i);
    for (const limit of [1, 2, 7, 23, 50]) {
      const seen: number[] = [];
      let after: number | undefined;
      for (;;) {
        const slice = all.filter((v) => after === undefined || v < after).slice(0, limit + 1);
        const page = keysetPage(
          slice,
          limit,
          (v) => [v],
          (v) => v,
        );
        seen.push(...page.items);
        if (!page.nextCursor) break;
        after = Number(keysetCursor(page.nextCursor, 1, ['integer'])![0]);
      }
      expect(seen).toEqual(all);
    }
  });

  it.each([
    ['not base64 json', 'garbage'],
    ['wrong size', encodeCursor([1, 2])],
    ['text for an integer key', encodeCursor(['x'])],
    ['an object', Buffer.from('{"a":1}').toString('base64url')],
  ])('refuses a cursor that is %s (400 naming cursor)', (_, cursor) => {
    expect(() => keysetCursor(cursor, 1, ['integer'])).toThrow(
      expect.objectContaining({
        kind: 'invalid',
        details: [expect.objectContaining({ field: 'cursor' })],
      }),
    );
  });

  it('no cursor is the first page', () => {
    expect(keysetCursor(undefined, 1)).toBeUndefined();
    expect(keysetCursor(encodeCursor(['2026-01-01', 'abc']), 2)).toEqual(['2026-01-01', 'abc']);
  });
});
