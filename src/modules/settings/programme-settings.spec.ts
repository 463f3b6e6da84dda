import { mergeSettings, ProgrammeSettings } from './programme-settings';

const defaults: ProgrammeSettings = {
  pointValueCents: 1,
  pointsExpiryMonths: 24,
  complaintDeadline: 'earliest',
};

describe('mergeSettings', () => {
  it.each([
    [{}, defaults],
    [{ pointValueCents: 5 }, { ...defaults, pointValueCents: 5 }],
    [{ pointValueCents: 0 }, defaults],
    [{ pointValueCents: 1.5 }, defaults],
    [{ pointValueCents: '5' }, defaults],
    [{ pointsExpiryMonths: 0 }, { ...defaults, pointsExpiryMonths: 0 }],
    [{ pointsExpiryMonths: 121 }, defaults],
    [{ complaintDeadline: 'one_month' }, { ...defaults, complaintDeadline: 'one_month' }],
    [
      { complaintDeadline: 'fifteen_working_days' },
      { ...defaults, complaintDeadline: 'fifteen_working_days' },
    ],
    [{ complaintDeadline: 'tomorrow' }, defaults],
  ])('stored %p → %p', (stored, expected) => {
    expect(mergeSettings(defaults, stored)).toEqual(expected);
  });
});
