import { ageOn } from './age';
import { toE164 } from './phone';

describe('ageOn', () => {
  const on = new Date('2026-11-27T12:00:00Z');
  it.each([
    ['2012-11-27', 14], // birthday today
    ['2012-11-28', 13], // tomorrow
    ['2012-12-01', 13],
    ['2012-10-30', 14],
    ['1990-04-01', 36],
    ['2026-11-27', 0],
    ['2027-01-01', -1], // not born yet
  ])('%s → %i', (birthDate, age) => {
    expect(ageOn(birthDate, on)).toBe(age);
  });

  it('counts a 29 February birthday on 1 March in common years', () => {
    expect(ageOn('2012-02-29', new Date('2026-02-28T12:00:00Z'))).toBe(13);
    expect(ageOn('2012-02-29', new Date('2026-03-01T12:00:00Z'))).toBe(14);
  });
});

describe('toE164', () => {
  it.each([
    ['+34600111222', '+34600111222'],
    ['600111222', '+34600111222'], // national: read as Spanish
    ['600 11 12 22', '+34600111222'],
    ['(+34) 600-111-222', '+34600111222'],
    ['0034 600 111 222', '+34600111222'],
    ['912 345 678', '+34912345678'], // landline
    ['+44 7911 123456', '+447911123456'],
    ['+1 (202) 555-0143', '+12025550143'],
  ])('%s → %s', (raw, e164) => {
    expect(toE164(raw)).toBe(e164);
  });

  it.each(['', '12ab', '+34 123', '600', 'not a phone', '+999 600111222', '6001112223333'])(
    'refuses %p',
    (raw) => {
      expect(toE164(raw)).toBeUndefined();
    },
  );
});
