export { CardsModule } from './cards.module';
export { CardsService } from './cards.service';
export type { CodeKind, ResolvedCode, ResolveCodeOptions } from './cards.service';
export { Card } from './card.entity';
export type { CardStatus } from './card.entity';
export { CardsError, CardsErrorCode } from './cards.errors';
export type { CardRefusal } from './cards.errors';
export { isValidLuhn, luhnCheckDigit, randomCardNumber } from './luhn';
export { rotatingCode, staticCode, totp, totpStep } from './card-codes';
