import {
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { EntityManager, In } from 'typeorm';
import { Clock, PersonalDataRegistry } from '../../common';
import { AppConfig } from '../../config';
import { TransactionRunner } from '../../database';
import { PassCard, CardsService } from '../cards';
import { ApnsClient } from './apns.client';
import { ApplePassService } from './apple-pass.service';
import { CardHolders } from './card-holders';
import { PassRegistration } from './pass-registration.entity';
import { passNotFound, passUnauthorized as unauthorized } from './wallet.errors';

export interface ServedPass {
  buffer: Buffer;
  etag: string;
  lastModified: Date;
}

/** HTTP dates have whole seconds: compare at that precision. */
const wholeSeconds = (d: Date) => Math.floor(d.getTime() / 1000);

/**
 * Apple Wallet passes for members, and Apple's PassKit web service: device registrations, the
 * list of updated serials, the latest pass, and pushes through APNs when a pass changes.
 */
/** Device log lines the process writes per minute, from all devices together. */
const DEVICE_LOG_LINES_PER_MINUTE = 60;

@Injectable()
export class PasskitService implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('PassKit');
  private deviceLogWindow = { since: 0, lines: 0 };
  private apns?: ApnsClient;
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<number>;

  constructor(
    private readonly tx: TransactionRunner,
    private readonly config: AppConfig,
    private readonly cards: CardsService,
    private readonly holders: CardHolders,
    private readonly passes: ApplePassService,
    private readonly personalData: PersonalDataRegistry,
    private readonly clock: Clock,
  ) {}

  onModuleInit() {
    // The devices that registered the member's passes (Apple's library ids and push tokens).
    this.personalData.register({
      category: 'wallet_devices',
      export: async (reader, memberId) => {
        const cards = await this.cards.cardsOf(reader, memberId);
        const rows = await reader.find(PassRegistration, {
          where: { cardId: In(cards.map((c) => c.id)) },
          order: { createdAt: 'ASC' },
        });
        const serial = new Map(cards.map((c) => [c.id, c.passSerial]));
        return rows.map((r) => ({
          device: r.deviceLibraryId,
          passSerial: serial.get(r.cardId),
          registeredAt: r.createdAt,
        }));
      },
      erase: async (tx, memberId) => {
        const cards = await this.cards.cardsOf(tx, memberId);
        if (cards.length) await tx.delete(PassRegistration, { cardId: In(cards.map((c) => c.id)) });
      },
    });
  }

  /** With APNs on, pending pushes go out every few seconds (not in tests: they flush by hand). */
  onApplicationBootstrap() {
    if (this.config.APNS_ENABLED && this.config.NODE_ENV !== 'test') {
      this.timer = setInterval(() => void this.flushPushes().catch(() => undefined), 2000);
      this.timer.unref();
    }
  }

  onModuleDestroy() {
    if (this.timer) clearInterval(this.timer);
    this.apns?.close();
  }

  // -------------------------------------------------------------------------------------------
  // Passes

  /** The member's current Apple Wallet pass (active card). */
  async passForMember(memberId: string): Promise<ServedPass> {
    const card = await this.cards.cardWithPassToken(this.tx.reader, { memberId });
    return this.serve(
      this.tx.reader,
      card ?? (await this.cards.requireActiveCard(this.tx.reader, memberId)),
    );
  }

  private async serve(reader: EntityManager, card: PassCard): Promise<ServedPass> {
    const holder = await this.holders.of(reader, card.memberId);
    const content = this.passes.content(card, holder, this.cards.staticCodeOf(card));
    const { buffer, etag } = await this.passes.pass(content);
    return { buffer, etag, lastModified: card.passUpdatedAt };
  }

  // -------------------------------------------------------------------------------------------
  // PassKit web service

  private assertPassType(passTypeIdentifier: string) {
    if (passTypeIdentifier !== this.config.APPLE_PASS_TYPE_ID) throw passNotFound();
  }

  /** The card behind a serial, if the `ApplePass <token>` header carries its token. */
  async authorize(
    passTypeIdentifier: string,
    serialNumber: string,
    authorization: string | undefined,
  ): Promise<PassCard> {
    const token = /^ApplePass (\S+)$/.exec(authorization ?? '')?.[1];
    if (!token) throw unauthorized();
    this.assertPassType(passTypeIdentifier);
    const card = /^[0-9a-f-]{36}$/i.test(serialNumber)
      ? await this.cards.cardWithPassToken(this.tx.reader, { passSerial: serialNumber })
      : null;
    const expected = Buffer.from(card?.passAuthToken ?? 'x'.repeat(token.length));
    const given = Buffer.from(token);
    const same = expected.length === given.length && timingSafeEqual(expected, given);
    if (!card || !same) throw unauthorized();
    return card;
  }

  /** Returns true when the registration is new (201), false when it existed (200). */
  async register(
    deviceLibraryId: string,
    passTypeIdentifier: string,
    serialNumber: string,
    pushToken: string,
    authorization: string | undefined,
  ): Promise<boolean> {
    const card = await this.authorize(passTypeIdentifier, serialNumber, authorization);
    const rows: { inserted: boolean }[] = await this.tx.run((tx) =>
      tx.query(
        `INSERT INTO pass_registrations (device_library_id, push_token, card_id)
       VALUES ($1, $2, $3)
       ON CONFLICT (device_library_id, card_id)
         DO UPDATE SET push_token = EXCLUDED.push_token, updated_at = now()
       RETURNING (xmax = 0) AS inserted`,
        [deviceLibraryId, pushToken, card.id],
      ),
    );
    return rows[0].inserted;
  }

  async unregister(
    deviceLibraryId: string,
    passTypeIdentifier: string,
    serialNumber: string,
    authorization: string | undefined,
  ): Promise<void> {
    const card = await this.authorize(passTypeIdentifier, serialNumber, authorization);
    await this.tx.run((tx) => tx.delete(PassRegistration, { deviceLibraryId, cardId: card.id }));
  }

  /**
   * Serials of this device's passes updated after the tag (all of them without one), with the
   * new tag; null when none (204). The tag is the latest update time in milliseconds.
   */
  async updatedSerials(
    deviceLibraryId: string,
    passTypeIdentifier: string,
    passesUpdatedSince?: string,
  ): Promise<{ serialNumbers: string[]; lastUpdated: string } | null> {
    this.assertPassType(passTypeIdentifier);
    const since = /^\d{1,15}$/.test(passesUpdatedSince ?? '') ? Number(passesUpdatedSince) : null;
    const registered = await this.tx.reader.find(PassRegistration, {
      where: { deviceLibraryId },
      select: { cardId: true },
    });
    if (!registered.length) return null;
    const rows = await this.cards.passesUpdatedSince(
      this.tx.reader,
      registered.map((r) => r.cardId),
      since,
    );
    if (!rows.length) return null;
    return {
      serialNumbers: rows.map((r) => r.passSerial),
      lastUpdated: String(rows.reduce((max, r) => Math.max(max, r.updatedMs), 0)),
    };
  }

  /** The latest pass, or null when not modified since the device's copy (304). */
  async latestPass(
    passTypeIdentifier: string,
    serialNumber: string,
    authorization: string | undefined,
    ifModifiedSince?: string,
  ): Promise<ServedPass | null> {
    const card = await this.authorize(passTypeIdentifier, serialNumber, authorization);
    const since = ifModifiedSince ? Date.parse(ifModifiedSince) : NaN;
    if (!Number.isNaN(since) && wholeSeconds(card.passUpdatedAt) <= Math.floor(since / 1000)) {
      return null;
    }
    return this.serve(this.tx.reader, card);
  }

  /**
   * Apple's devices report errors here; anyone can post. Each request adds at most 10 lines of
   * 200 characters, and the whole process at most DEVICE_LOG_LINES_PER_MINUTE lines (the route
   * is also rate-limited per address): issue 13, defect 10. Returns the lines written.
   */
  log(lines: string[]): number {
    const now = this.clock.now().getTime();
    if (now - this.deviceLogWindow.since >= 60_000) this.deviceLogWindow = { since: now, lines: 0 };
    const room = Math.max(0, DEVICE_LOG_LINES_PER_MINUTE - this.deviceLogWindow.lines);
    const taken = lines.slice(0, Math.min(10, room));
    for (const line of taken) this.logger.warn(`device log: ${line.slice(0, 200)}`);
    this.deviceLogWindow.lines += taken.length;
    return taken.length;
  }

  // -------------------------------------------------------------------------------------------
  // Pushes

  private async client(): Promise<ApnsClient> {
    if (!this.apns) {
      const certs = await this.passes.certificates();
      this.apns = new ApnsClient({
        url: this.config.APNS_URL,
        cert: certs.signerCert,
        key: certs.signerKey,
        ca: this.config.APNS_CA ? readFileSync(this.config.APNS_CA, 'utf8') : undefined,
      });
    }
    return this.apns;
  }

  /**
   * Sends the queued pass-update pushes (cards whose pass changed since the last run) to every
   * registered device. Returns how many pushes APNs accepted. Unregistered tokens are dropped;
   * failures leave the card queued for the next run.
   */
  flushPushes(): Promise<number> {
    this.flushing ??= this.flush().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async flush(): Promise<number> {
    if (!this.config.APNS_ENABLED) return 0;
    const due = await this.tx.run(async (tx) => {
      const cardIds = await this.cards.takePendingPushes(tx, 500);
      if (!cardIds.length) return [];
      return tx.find(PassRegistration, { where: { cardId: In(cardIds) } });
    });
    let sent = 0;
    const failed = new Set<string>();
    const client = due.length ? await this.client() : undefined;
    for (const row of due) {
      try {
        const res = await client!.send(row.pushToken, this.config.APPLE_PASS_TYPE_ID);
        if (res.status === 200) sent++;
        else if (res.status === 410 || res.reason === 'BadDeviceToken') {
          await this.tx.run((tx) => tx.delete(PassRegistration, row.id));
        } else {
          this.logger.warn(`APNs answered ${res.status} ${res.reason ?? ''}`);
          if (res.status >= 500 || res.status === 429) failed.add(row.cardId);
        }
      } catch (err) {
        this.logger.warn(`APNs push failed: ${(err as Error).message}`);
        failed.add(row.cardId);
      }
    }
    if (failed.size) {
      await this.tx.run((tx) => this.cards.requeuePushes(tx, [...failed]));
    }
    return sent;
  }
}
