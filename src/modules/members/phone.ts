import { parsePhoneNumberWithError } from 'libphonenumber-js';
import { registerDecorator, ValidationOptions } from 'class-validator';

/** E.164 form of a phone number; numbers without a country code are read as Spanish. */
export function toE164(raw: string): string | undefined {
  try {
    const parsed = parsePhoneNumberWithError(raw, 'ES');
    // An extension would be dropped by the E.164 form: refused rather than silently cut.
    return parsed.isValid() && !parsed.ext ? parsed.number : undefined;
  } catch {
    return undefined;
  }
}

export function IsPhone(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isPhone',
      target: target.constructor,
      propertyName,
      options: { message: 'must be a valid phone number (E.164, e.g. +34600111222)', ...options },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && toE164(value) !== undefined,
      },
    });
}
