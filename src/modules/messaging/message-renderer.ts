import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PageRenderer, templatesDir } from '../../common';
import type { PageLocale } from '../../common';
import { AppConfig } from '../../config';
import { templateMissing } from './messaging.errors';
import type { MessagePurpose } from './outbox-message.entity';
import { foldToGsm7, smsLength, SmsLength } from './sms-segments';

export type TemplateFile = 'email.subject' | 'email.html' | 'email.text' | 'sms';

export interface RenderInput {
  template: string;
  locale: string;
  purpose: MessagePurpose;
  payload: Record<string, unknown>;
  /** Marketing email: the signed opt-out link. */
  optOutUrl?: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface RenderedSms {
  text: string;
  length: SmsLength;
}

const LOCALES: PageLocale[] = ['es', 'en'];

/**
 * Messages from `templates/messages/<template>/<locale>/{email.subject,email.html,email.text,sms}.hbs`
 * (Handlebars, the payload as context). HTML goes inside `templates/messages/_layout/email.html.hbs`;
 * every message ends with a footer per locale: why a service message reaches the customer, or
 * the consent behind a marketing one and how to withdraw it.
 */
@Injectable()
export class MessageRenderer {
  /** HTML escapes values; subject, text and SMS must not (they are not HTML). */
  private readonly html = Handlebars.create();
  private readonly plain = Handlebars.create();
  private readonly cache = new Map<string, Handlebars.TemplateDelegate>();

  constructor(
    private readonly config: AppConfig,
    private readonly texts: PageRenderer,
  ) {}

  /** The locale a template is written in: the one asked for, else Spanish, else English. */
  localeFor(template: string, locale: string, file: TemplateFile): PageLocale | null {
    const asked = LOCALES.find((l) => l === locale);
    for (const candidate of [asked, 'es', 'en'] as const) {
      if (candidate && existsSync(this.path(template, candidate, file))) return candidate;
    }
    return null;
  }

  email(input: RenderInput): RenderedEmail {
    const locale = this.localeFor(input.template, input.locale, 'email.subject');
    if (!locale) throw templateMissing(input.template, 'email');
    const context = this.context(input, locale);
    const subject = this.compile(
      input.template,
      locale,
      'email.subject',
      false,
    )(context)
      .replace(/\s+/g, ' ')
      .trim();
    const bodyHtml = this.compile(input.template, locale, 'email.html', true)(context);
    const bodyText = this.compile(input.template, locale, 'email.text', false)(context).trim();
    const footer = this.footer(input, locale);
    const html = this.layout()({
      ...context,
      subject,
      body: new Handlebars.SafeString(bodyHtml),
      footer,
      optOutLabel: this.texts.t(locale, 'messaging.optOut.link'),
    });
    const text =
      `${bodyText}\n\n-- \n${footer}` +
      (input.optOutUrl
        ? `\n${this.texts.t(locale, 'messaging.optOut.link')}: ${input.optOutUrl}`
        : '');
    return { subject, html, text: text + '\n' };
  }

  /**
   * The SMS text, folded to GSM-7 where a plain twin exists; a marketing SMS ends with the
   * opt-out keyword. Longer texts are sent as concatenated segments (counted, not cut).
   */
  sms(input: RenderInput): RenderedSms {
    const locale = this.localeFor(input.template, input.locale, 'sms');
    if (!locale) throw templateMissing(input.template, 'sms');
    let text = this.compile(
      input.template,
      locale,
      'sms',
      false,
    )(this.context(input, locale))
      .replace(/\s+/g, ' ')
      .trim();
    if (input.purpose === 'marketing') text += ` ${this.texts.t(locale, 'messaging.optOut.sms')}`;
    text = foldToGsm7(text);
    return { text, length: smsLength(text) };
  }

  private context(input: RenderInput, locale: PageLocale): Record<string, unknown> {
    return {
      ...input.payload,
      programme: this.config.PROGRAMME_NAME,
      publicUrl: this.config.publicUrl,
      locale,
      optOutUrl: input.optOutUrl,
    };
  }

  /** Why the customer gets this: a template's own reason, else the general one for its purpose. */
  private footer(input: RenderInput, locale: PageLocale): string {
    const params = { programme: this.config.PROGRAMME_NAME };
    if (input.purpose === 'marketing')
      return this.texts.t(locale, 'messaging.footer.marketing', params);
    const own = `messaging.footer.service.${input.template}`;
    const text = this.texts.t(locale, own, params);
    return text !== own ? text : this.texts.t(locale, 'messaging.footer.service', params);
  }

  private layout(): Handlebars.TemplateDelegate {
    return this.cached('_layout', () =>
      this.html.compile(
        readFileSync(join(templatesDir(), 'messages', '_layout', 'email.html.hbs'), 'utf8'),
      ),
    );
  }

  private compile(
    template: string,
    locale: PageLocale,
    file: TemplateFile,
    escape: boolean,
  ): Handlebars.TemplateDelegate {
    return this.cached(`${template}/${locale}/${file}`, () => {
      const path = this.path(template, locale, file);
      if (!existsSync(path)) throw templateMissing(template, file);
      const source = readFileSync(path, 'utf8');
      return escape ? this.html.compile(source) : this.plain.compile(source, { noEscape: true });
    });
  }

  private cached(key: string, make: () => Handlebars.TemplateDelegate) {
    // Re-read in development, so template edits show without a restart.
    const hit = this.config.isProduction ? this.cache.get(key) : undefined;
    if (hit) return hit;
    const compiled = make();
    this.cache.set(key, compiled);
    return compiled;
  }

  private path(template: string, locale: string, file: TemplateFile): string {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(template)) throw templateMissing(template, file);
    return join(templatesDir(), 'messages', template, locale, `${file}.hbs`);
  }
}
