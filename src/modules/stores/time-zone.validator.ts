import { ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';

export function isTimeZone(value: unknown): boolean {
  if (typeof value !== 'string' || value.length === 0) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

@ValidatorConstraint({ name: 'isTimeZone' })
export class IsTimeZone implements ValidatorConstraintInterface {
  validate(value: unknown) {
    return isTimeZone(value);
  }
  defaultMessage() {
    return 'must be an IANA time zone such as Europe/Madrid';
  }
}
