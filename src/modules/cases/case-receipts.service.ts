import { Injectable } from '@nestjs/common';
import { PageRenderer } from '../../common';
import { AppConfig } from '../../config';
import type { Tx } from '../../database';
import { MessagingService } from '../messaging';
import type { CaseRow } from './cases.repository';
import { renderReceiptPdf } from './receipt-pdf';

type Locale = 'es' | 'en';
const asLocale = (l: string | null | undefined): Locale => (l === 'en' ? 'en' : 'es');

export interface ReceiptPlace {
  timeZone: string;
}

/**
 * The customer's written proof: the PDF receipt and the emails (receipt at creation, replies),
 * in the customer's language, with dates in the store's time zone.
 */
@Injectable()
export class CaseReceiptsService {
  constructor(
    private readonly texts: PageRenderer,
    private readonly messaging: MessagingService,
    private readonly config: AppConfig,
  ) {}

  formatDate(at: Date, locale: string, timeZone: string, withTime = true): string {
    return new Intl.DateTimeFormat(asLocale(locale) === 'en' ? 'en-GB' : 'es-ES', {
      timeZone,
      dateStyle: 'long',
      ...(withTime ? { timeStyle: 'short' } : {}),
    }).format(at);
  }

  slaText(c: Pick<CaseRow, 'sla_amount' | 'sla_unit' | 'locale'>): string {
    return this.texts.t(asLocale(c.locale), `cases.sla.${c.sla_unit}`, { n: c.sla_amount });
  }

  /** The facts a receipt carries (PDF and email alike). */
  facts(c: CaseRow, place: ReceiptPlace) {
    const locale = asLocale(c.locale);
    const t = (key: string, params?: Record<string, unknown>) =>
      this.texts.t(locale, `cases.${key}`, params);
    const deadline = this.formatDate(c.due_at, locale, place.timeZone, false);
    return {
      locale,
      t,
      registryNumber: c.registry_number,
      receivedAt: this.formatDate(c.created_at, locale, place.timeZone),
      kind: t(`kind.${c.kind}`),
      subject: c.subject,
      summary: c.description.length > 600 ? `${c.description.slice(0, 600)}…` : c.description,
      deadline,
      sla: this.slaText(c),
    };
  }

  async pdf(c: CaseRow, place: ReceiptPlace): Promise<Buffer> {
    const f = this.facts(c, place);
    return renderReceiptPdf({
      title: f.t('receipt.title'),
      number: f.registryNumber,
      fields: [
        [f.t('receipt.number'), f.registryNumber],
        [f.t('receipt.date'), f.receivedAt],
        [f.t('receipt.kind'), f.kind],
        [f.t('receipt.subject'), f.subject],
        [f.t('receipt.deadline'), `${f.deadline} (${f.sla})`],
      ],
      paragraphs: [
        f.t('receipt.intro', { number: f.registryNumber }),
        `${f.t('receipt.summary')}: ${f.summary}`,
        f.t('receipt.deadlineNote', { deadline: f.deadline, sla: f.sla }),
      ],
      footer: f.t('receipt.footer'),
    });
  }

  /** The receipt email, queued in the creating transaction. */
  async enqueueReceipt(
    tx: Tx,
    c: CaseRow,
    to: { email: string; name: string | null },
    place: ReceiptPlace,
    receiptPath: string,
  ): Promise<void> {
    const f = this.facts(c, place);
    await this.messaging.enqueue(tx, {
      channel: 'email',
      recipient: to.email,
      template: 'case-receipt',
      locale: f.locale,
      memberId: c.member_id,
      purpose: 'service',
      payload: {
        name: to.name,
        registryNumber: f.registryNumber,
        receivedAt: f.receivedAt,
        kind: f.kind,
        subject: f.subject,
        summary: f.summary,
        deadline: f.deadline,
        sla: f.sla,
        receiptUrl: `${this.config.publicUrl}${receiptPath}`,
      },
    });
  }

  /** A reply to the customer (or the resolution), on the case history and by email. */
  async enqueueReply(
    tx: Tx,
    c: CaseRow,
    to: { email: string; name: string | null },
    text: string,
    resolved: boolean,
  ): Promise<void> {
    await this.messaging.enqueue(tx, {
      channel: 'email',
      recipient: to.email,
      template: 'case-reply',
      locale: asLocale(c.locale),
      memberId: c.member_id,
      purpose: 'service',
      payload: {
        name: to.name,
        registryNumber: c.registry_number,
        subject: c.subject,
        text,
        resolved,
      },
    });
  }
}
