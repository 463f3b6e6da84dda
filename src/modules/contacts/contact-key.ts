import { parsePhoneNumberWithError } from 'libphonenumber-js';
import type { ContactKey } from '../../common';
import { keyRequired, badPhone } from './contacts.errors';

/**
 * The key a contact is found by: the email trimmed and lower-cased, the phone in E.164 (numbers
 * without a country code read as Spanish, as the till stores them). Neither → 400.
 */
export function contactKey(input: { email?: string | null; phone?: string | null }): ContactKey {
  const email = input.email?.trim().toLowerCase() || null;
  const raw = input.phone?.trim() || null;
  const phone = raw ? toE164(raw) : null;
  if (raw && !phone) throw badPhone();
  if (!email && !phone) throw keyRequired();
  return { email, phone };
}

function toE164(raw: string): string | null {
  try {
    const parsed = parsePhoneNumberWithError(raw, 'ES');
    return parsed.isValid() && !parsed.ext ? parsed.number : null;
  } catch {
    return null;
  }
}
