import {
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
  OnModuleInit,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, PersonalDataRegistry } from '../../common';
import { AppConfig } from '../../config';
import { ApnsClient } from './apns.client';
import { ApplePassService } from './apple-pass.service';
import { Card } from './card.entity';
import { CardHolders } from './card-holders';
import { CardsError, CardsErrorCode } from './cards.errors';
import { CardsService } from './cards.service';
import { PassRegistration } from './pass-registration.entity';
import { TransactionRunner } from '../../database';

export interface ServedPass {
  buffer: Buffer;
  etag: string;
  lastModified: Date;
}

const unauthorized = () =>
  new CardsError(
    'unauthorized',
    CardsErrorCode.PassUnauthorized,
    'missing or wrong ApplePass token',
  );
const passNotFound = () => new CardsError('not_found', CardsErrorCode.PassNotFound, 'no such pass');

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
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: TransactionRunner,
    private readonly config: AppConfig,
    private readonly cards: CardsService,
    private readonly holders: CardHolders,
    private readonly passes: ApplePassService,
    private readonly personalData: PersonalDataRegistry,
    private readonly clock: Clock,
  ) {}

  onModuleInit() {
    this.personalData.register({
      category: 'wallet_devices',
      export: async (em, memberId) =>
        (
          await em.query(
            `SELECT r.device_library_id, r.created_at, c.pass_serial
               FROM pass_registrations r JOIN cards c ON c.id = r.card_id
              WHERE c.member_id = $1 ORDER BY r.created_at`,
            [memberId],
          )
        ).map((r: { device_library_id: string; created_at: Date; pass_serial: string }) => ({
          device: r.device_library_id,
          passSerial: r.pass_serial,
          registeredAt: r.created_at,
        })),
      erase: async (em, memberId) => {
        await em.query(
          `DELETE FROM pass_registrations WHERE card_id IN (SELECT id FROM cards WHERE member_id = $1)`,
          [memberId],
        );
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
    const card = await this.dataSource.manager
      .createQueryBuilder(Card, 'c')
      .addSelect('c.passAuthToken')
      .where(`c.memberId = :memberId AND c.status = 'active'`, { memberId })
      .getOne();
    return this.serve(card ?? (await this.cards.requireActiveCard(memberId)));
  }

  private async serve(card: Card, em?: EntityManager): Promise<ServedPass> {
    const holder = await this.holders.of(card.memberId, em);
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
  ): Promise<Card> {
    const token = /^ApplePass (\S+)$/.exec(authorization ?? '')?.[1];
    if (!token) throw unauthorized();
    this.assertPassType(passTypeIdentifier);
    const card = /^[0-9a-f-]{36}$/i.test(serialNumber)
      ? await this.dataSource.manager
          .createQueryBuilder(Card, 'c')
          .addSelect('c.passAuthToken')
          .where('c.passSerial = :serialNumber', { serialNumber })
          .getOne()
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
    const rows: { inserted: boolean }[] = await this.dataSource.query(
      `INSERT INTO pass_registrations (device_library_id, push_token, card_id)
       VALUES ($1, $2, $3)
       ON CONFLICT (device_library_id, card_id)
         DO UPDATE SET push_token = EXCLUDED.push_token, updated_at = now()
       RETURNING (xmax = 0) AS inserted`,
      [deviceLibraryId, pushToken, card.id],
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
    await this.dataSource.manager.delete(PassRegistration, { deviceLibraryId, cardId: card.id });
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
    const rows: { pass_serial: string; ms: string }[] = await this.dataSource.query(
      `SELECT c.pass_serial, floor(extract(epoch FROM c.pass_updated_at) * 1000)::bigint AS ms
         FROM pass_registrations r JOIN cards c ON c.id = r.card_id
        WHERE r.device_library_id = $1
          AND ($2::bigint IS NULL OR c.pass_updated_at > to_timestamp($2::bigint / 1000.0))
        ORDER BY c.pass_updated_at`,
      [deviceLibraryId, since],
    );
    if (!rows.length) return null;
    return {
      serialNumbers: rows.map((r) => r.pass_serial),
      lastUpdated: String(rows.reduce((max, r) => Math.max(max, Number(r.ms)), 0)),
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
    return this.serve(card);
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
    const due: { id: string; push_token: string; registration_id: string }[] =
      await this.transactions.run(async (em) => {
        const [cards]: [{ id: string }[], number] = await em.query(
          `UPDATE cards SET pass_push_pending = false
            WHERE id IN (SELECT id FROM cards WHERE pass_push_pending
                          ORDER BY pass_updated_at LIMIT 500 FOR UPDATE SKIP LOCKED)
            RETURNING id`,
        );
        if (!cards.length) return [];
        return em.query(
          `SELECT card_id AS id, push_token, id AS registration_id
             FROM pass_registrations WHERE card_id = ANY($1::uuid[])`,
          [cards.map((c) => c.id)],
        );
      });
    let sent = 0;
    const failed = new Set<string>();
    const client = due.length ? await this.client() : undefined;
    for (const row of due) {
      try {
        const res = await client!.send(row.push_token, this.config.APPLE_PASS_TYPE_ID);
        if (res.status === 200) sent++;
        else if (res.status === 410 || res.reason === 'BadDeviceToken') {
          await this.dataSource.manager.delete(PassRegistration, row.registration_id);
        } else {
          this.logger.warn(`APNs answered ${res.status} ${res.reason ?? ''}`);
          if (res.status >= 500 || res.status === 429) failed.add(row.id);
        }
      } catch (err) {
        this.logger.warn(`APNs push failed: ${(err as Error).message}`);
        failed.add(row.id);
      }
    }
    if (failed.size) {
      await this.dataSource.query(
        `UPDATE cards SET pass_push_pending = true WHERE id = ANY($1::uuid[])`,
        [[...failed]],
      );
    }
    return sent;
  }
}
