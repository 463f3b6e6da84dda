import { DomainError, ErrorKind } from '../../common';

export enum CardsErrorCode {
  /** No card of this programme has that number, id or code. */
  Unknown = 'cards.unknown',
  Blocked = 'cards.blocked',
  Replaced = 'cards.replaced',
  /** The signature or TOTP value does not come from this programme's secrets. */
  Tampered = 'cards.tampered',
  /** A rotating code from an earlier time step (a screenshot). */
  Expired = 'cards.expired',
  /** A rotating code already accepted in its time step. */
  Reused = 'cards.reused',
  /** A card number from another programme's number range. */
  Foreign = 'cards.foreign',
  /** The operation needs the rotating code (web card or Google Wallet), not the static one. */
  RotatingRequired = 'cards.rotating_required',
  /** The member has no active card (erased, or every card blocked). */
  NoActiveCard = 'cards.no_active_card',
}

/** Every refusal of a code at the till, with the reason the cashier sees. */
export class CardsError extends DomainError {
  constructor(kind: ErrorKind, code: CardsErrorCode, message: string) {
    super(kind, code, message);
  }
}

const MESSAGES: Record<CardRefusal, [ErrorKind, string]> = {
  unknown: ['not_found', 'unknown card: no card of this programme matches this number or code'],
  blocked: ['unprocessable', 'this card is blocked'],
  replaced: ['unprocessable', 'this card was replaced by a new one: ask for the current card'],
  tampered: ['unprocessable', 'the code is not genuine: its signature does not match'],
  expired: ['unprocessable', 'the rotating code has expired: ask the customer to refresh the card'],
  reused: ['unprocessable', 'this rotating code was already used: wait for the next one'],
  foreign: ['unprocessable', 'this card belongs to another loyalty programme'],
  rotating_required: [
    'unprocessable',
    'this operation needs the rotating code from the app or Google Wallet, not the static code',
  ],
};

export type CardRefusal =
  | 'unknown'
  | 'blocked'
  | 'replaced'
  | 'tampered'
  | 'expired'
  | 'reused'
  | 'foreign'
  | 'rotating_required';

const CODE_OF: Record<CardRefusal, CardsErrorCode> = {
  unknown: CardsErrorCode.Unknown,
  blocked: CardsErrorCode.Blocked,
  replaced: CardsErrorCode.Replaced,
  tampered: CardsErrorCode.Tampered,
  expired: CardsErrorCode.Expired,
  reused: CardsErrorCode.Reused,
  foreign: CardsErrorCode.Foreign,
  rotating_required: CardsErrorCode.RotatingRequired,
};

/** The refusal for a code, with its standard message (optionally more specific). */
export function refusal(reason: CardRefusal, message?: string): CardsError {
  const [kind, text] = MESSAGES[reason];
  return new CardsError(kind, CODE_OF[reason], message ?? text);
}

export const noActiveCard = () =>
  new CardsError('not_found', CardsErrorCode.NoActiveCard, 'the member has no active card');
