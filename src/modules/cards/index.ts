export { CardsModule } from './cards.module';
export { CardsService } from './cards.service';
export type {
  CardRecord,
  CardView,
  CodeKind,
  PassCard,
  ResolvedCode,
  ResolveCodeOptions,
  RotatingCodeFormat,
} from './cards.service';
export type { CardStatus } from './card.entity';
export { CardsError, CardsErrorCode } from './cards.errors';
export type { CardRefusal } from './cards.errors';
