import { Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { generateKeyPairSync, KeyObject, createPrivateKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Clock } from '../../common';
import { AppConfig } from '../../config';
import type { PassCard } from '../cards';
import { CardHolder, CardHolders } from './card-holders';
import { CardsService } from '../cards';
import { formatCardNumber } from './apple-pass.service';
import { TransactionRunner } from '../../database';

interface ServiceAccount {
  client_email: string;
  private_key: string;
  private_key_id?: string;
}

export interface GoogleWalletSave {
  /** "Save to Google Wallet" link. */
  saveUrl: string;
  jwt: string;
  classId: string;
  objectId: string;
}

const LABELS = {
  es: { points: 'Puntos', tier: 'Nivel', account: 'Socio', number: 'Tarjeta' },
  en: { points: 'Points', tier: 'Tier', account: 'Member', number: 'Card' },
};

/**
 * Google Wallet loyalty cards through a "Save to Google Wallet" link: an RS256 JWT signed with
 * the service-account key, carrying the loyalty class and the member's object. The object has a
 * rotating barcode — Google Wallet's TOTP (SHA-1, 30 s, 8 digits) from the card's secret, in the
 * `FDL2.<card id>.<code>` form the till accepts — so a screenshot stops working within a minute.
 *
 * The class and object travel inside the JWT ("fat" JWT), which works offline. In production,
 * Google recommends inserting them with the REST API and sending a JWT that names only their ids,
 * so the TOTP secret never reaches the browser.
 */
@Injectable()
export class GoogleWalletService {
  private readonly logger = new Logger('GoogleWallet');
  private account?: { email: string; keyId?: string; key: KeyObject };
  /** A signer of its own: the app's JwtService is configured for HS256 session tokens. */
  private readonly jwt = new JwtService();

  constructor(
    private readonly config: AppConfig,
    private readonly cards: CardsService,
    private readonly holders: CardHolders,
    private readonly clock: Clock,
    private readonly db: TransactionRunner,
  ) {}

  /** The save link for the member's active card. */
  async saveLinkFor(memberId: string): Promise<GoogleWalletSave> {
    const card = await this.cards.requireActiveCard(this.db.reader, memberId);
    const [holder, secret] = await Promise.all([
      this.holders.of(this.db.reader, memberId),
      this.cards.secretOf(this.db.reader, card.id),
    ]);
    return this.saveLink(card, holder, secret, this.clock.now());
  }

  get classId(): string {
    return `${this.config.GOOGLE_WALLET_ISSUER_ID}.fidelia_loyalty`;
  }

  /** The service account: the configured JSON key, or a development key made in DATA_DIR. */
  serviceAccount(): { email: string; keyId?: string; key: KeyObject } {
    if (this.account) return this.account;
    let json: ServiceAccount;
    if (this.config.GOOGLE_WALLET_SERVICE_ACCOUNT) {
      json = JSON.parse(readFileSync(this.config.GOOGLE_WALLET_SERVICE_ACCOUNT, 'utf8'));
    } else {
      const file = join(this.config.dataDir, 'google-wallet-dev-service-account.json');
      if (!existsSync(file)) {
        const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
        json = {
          client_email: 'fidelia-dev@fidelia-dev.iam.gserviceaccount.com',
          private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
          private_key_id: 'dev',
        };
        mkdirSync(this.config.dataDir, { recursive: true });
        writeFileSync(file, JSON.stringify({ type: 'service_account', ...json }, null, 2), {
          mode: 0o600,
        });
      } else {
        json = JSON.parse(readFileSync(file, 'utf8'));
      }
      this.logger.warn(
        `Google Wallet: no service account configured; signing with a development key (${file}). ` +
          'Google will not accept these links: set GOOGLE_WALLET_SERVICE_ACCOUNT and GOOGLE_WALLET_ISSUER_ID.',
      );
    }
    this.account = {
      email: json.client_email,
      keyId: json.private_key_id,
      key: createPrivateKey(json.private_key),
    };
    return this.account;
  }

  loyaltyClass() {
    const name = this.config.PROGRAMME_NAME;
    return {
      id: this.classId,
      issuerName: name,
      programName: name,
      programLogo: {
        sourceUri: { uri: `${this.config.publicUrl}/api/public/wallet/logo.png` },
        contentDescription: { defaultValue: { language: 'es', value: name } },
      },
      hexBackgroundColor: '#0f766e',
      reviewStatus: 'UNDER_REVIEW',
      countryCode: 'ES',
      multipleDevicesAndHoldersAllowedStatus: 'ONE_USER_ALL_DEVICES',
    };
  }

  loyaltyObject(
    card: Pick<PassCard, 'id' | 'number' | 'status'>,
    holder: CardHolder,
    secret: Buffer,
  ) {
    const labels = LABELS[holder.locale];
    const format = this.cards.rotatingCodeFormat();
    return {
      id: `${this.config.GOOGLE_WALLET_ISSUER_ID}.${card.id}`,
      classId: this.classId,
      state: card.status === 'active' ? 'ACTIVE' : 'INACTIVE',
      accountId: formatCardNumber(card.number),
      accountName: holder.name,
      loyaltyPoints: { label: labels.points, balance: { int: holder.balance } },
      ...(holder.tier
        ? { secondaryLoyaltyPoints: { label: labels.tier, balance: { string: holder.tier } } }
        : {}),
      rotatingBarcode: {
        type: 'QR_CODE',
        renderEncoding: 'UTF_8',
        valuePattern: `${format.prefix}.${card.id}.{totp_value_0}`,
        alternateText: formatCardNumber(card.number),
        totpDetails: {
          periodMillis: format.stepSeconds * 1000,
          algorithm: 'TOTP_SHA1',
          parameters: [{ key: secret.toString('hex'), valueLength: format.digits }],
        },
      },
    };
  }

  /** The signed save link for a card. */
  saveLink(
    card: Pick<PassCard, 'id' | 'number' | 'status'>,
    holder: CardHolder,
    secret: Buffer,
    now: Date,
  ): GoogleWalletSave {
    const account = this.serviceAccount();
    const object = this.loyaltyObject(card, holder, secret);
    const claims = {
      iss: account.email,
      aud: 'google',
      typ: 'savetowallet',
      iat: Math.floor(now.getTime() / 1000),
      origins: [this.config.publicUrl],
      payload: { loyaltyClasses: [this.loyaltyClass()], loyaltyObjects: [object] },
    };
    // jsonwebtoken (through @nestjs/jwt) writes the header { alg, typ: 'JWT', kid } and keeps
    // the iat given (the injected clock's).
    const jwt = this.jwt.sign(claims, {
      algorithm: 'RS256',
      privateKey: account.key,
      ...(account.keyId ? { keyid: account.keyId } : {}),
    });
    return {
      saveUrl: `https://pay.google.com/gp/v/save/${jwt}`,
      jwt,
      classId: this.classId,
      objectId: object.id,
    };
  }
}
