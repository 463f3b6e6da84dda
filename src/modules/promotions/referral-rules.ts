/**
 * Who may still be counted as referred (issue 13, defect 11): a new member — enrolled within the
 * window — who has not bought yet. A long-standing member, or anyone after a first purchase, is
 * not a friend brought in by the referral. Returns why not, or null when eligible.
 */
export function referralRefusal(input: {
  enrolledAt: Date;
  now: Date;
  windowDays: number;
  purchases: number;
}): string | null {
  if (input.purchases > 0) return 'already made a purchase';
  const ageMs = input.now.getTime() - input.enrolledAt.getTime();
  if (ageMs > input.windowDays * 86_400_000)
    return `enrolled more than ${input.windowDays} days ago`;
  return null;
}
