export { CardsModule } from './cards.module';
export { CardsService } from './cards.service';
export { Card } from './card.entity';
export type { CardStatus } from './card.entity';
export { isValidLuhn, luhnCheckDigit, randomCardNumber } from './luhn';
