import { randomInt } from 'node:crypto';

/** Luhn check digit for a string of digits (the digit to append). */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

export function isValidLuhn(number: string): boolean {
  return /^\d{2,}$/.test(number) && luhnCheckDigit(number.slice(0, -1)) === Number(number.at(-1));
}

/** Programme prefix: card numbers start with 40, then 13 random digits and the check digit. */
export const CARD_PREFIX = '40';

/** A random (never sequential) 16-digit card number with a valid Luhn check digit. */
export function randomCardNumber(): string {
  let body = CARD_PREFIX;
  while (body.length < 15) body += String(randomInt(0, 10));
  return body + String(luhnCheckDigit(body));
}
