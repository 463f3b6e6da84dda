export { CardsModule } from './cards.module';
export { CardsService } from './cards.service';
export type {
  CardRecord,
  CardView,
  CodeKind,
  PassCard,
  ResolvedCode,
  ResolveCodeOptions,
} from './cards.service';
export type { CardStatus } from './card.entity';
export { CardsError, CardsErrorCode } from './cards.errors';
export type { CardRefusal } from './cards.errors';
export { isValidLuhn, luhnCheckDigit, randomCardNumber } from './luhn';
export {
  ROTATING_PREFIX,
  rotatingCode,
  staticCode,
  totp,
  totpStep,
  TOTP_DIGITS,
  TOTP_STEP_SECONDS,
} from './card-codes';
