import { Injectable } from '@nestjs/common';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Handlebars from 'handlebars';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from '../../config';
import { templatesDir } from '../paths';
import { formatMessage, loadMessages, LOCALES, Messages, PageLocale, pickLocale } from './i18n';

const LANG_COOKIE_SECONDS = 365 * 24 * 3600;

/** The page language cookie: a year, readable by page scripts, sent on top-level navigation. */
const LANG_COOKIE = () => ({
  path: '/',
  maxAge: LANG_COOKIE_SECONDS,
  expires: new Date(Date.now() + LANG_COOKIE_SECONDS * 1000),
  sameSite: 'lax' as const,
  httpOnly: false,
});

const queryLang = (req: FastifyRequest): unknown =>
  (req.query as { lang?: unknown } | undefined)?.lang;

export interface PageOptions {
  /** `<area>.title` key or literal title. */
  title: string;
  /** Scripts under /assets/js/ to load (no inline scripts: the CSP forbids them). */
  scripts?: string[];
  /** Data handed to the page's script as JSON (read with `Fidelia.pageData()`). */
  data?: Record<string, unknown>;
  /** Text areas (e.g. ['login']) whose messages the page script needs, as pageData.messages. */
  messages?: string[];
  /** Extra values for the template. */
  [key: string]: unknown;
}

/**
 * Server-rendered pages: Handlebars templates in templates/pages/, wrapped in layout.hbs, with
 * Spanish and English texts. Templates are cached in production and re-read in development.
 */
@Injectable()
export class PageRenderer {
  private readonly hbs = Handlebars.create();
  private readonly cache = new Map<string, Handlebars.TemplateDelegate>();
  private messages: Record<PageLocale, Messages>;

  constructor(private readonly config: AppConfig) {
    this.messages = loadMessages(join(templatesDir(), 'i18n'));
    this.hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    this.hbs.registerHelper(
      'json',
      (value: unknown) =>
        // Safe inside <script type="application/json">: no "</script>" or "<!--" can close it.
        new Handlebars.SafeString(
          JSON.stringify(value ?? null)
            .replace(/</g, '\\u003c')
            .replace(/>/g, '\\u003e'),
        ),
    );
  }

  locale(req: FastifyRequest): PageLocale {
    return pickLocale(
      queryLang(req),
      // Only pages read a cookie, so it is parsed here rather than on every API request.
      parseCookies(req.headers.cookie ?? '').lang,
      req.headers['accept-language'],
    );
  }

  t(locale: PageLocale, key: string, params?: Record<string, unknown>): string {
    const text = this.messages[locale][key] ?? this.messages.es[key] ?? key;
    return formatMessage(text, params, locale);
  }

  /** Renders `templates/pages/<name>.hbs` inside the layout and sends it. */
  render(req: FastifyRequest, reply: FastifyReply, name: string, options: PageOptions): void {
    const locale = this.locale(req);
    const chosen = queryLang(req);
    if (typeof chosen === 'string' && (LOCALES as readonly string[]).includes(chosen)) {
      reply.header('Set-Cookie', serializeCookie('lang', locale, LANG_COOKIE()));
    }
    if (!this.config.isProduction) this.messages = loadMessages(join(templatesDir(), 'i18n'));
    const t = (key: string, params?: Record<string, unknown>) => this.t(locale, key, params);
    const helpers = {
      t: (key: string, opts: { hash?: Record<string, unknown> }) => t(key, opts?.hash),
    };
    const context = {
      ...options,
      locale,
      otherLocale: locale === 'es' ? 'en' : 'es',
      path: req.url.split('?')[0],
      title: t(options.title),
    };
    const body = this.template(name)(context, { helpers });
    const pageData = {
      ...options.data,
      locale,
      messages: this.areaMessages(locale, [
        'common',
        'errors',
        'session',
        ...(options.messages ?? []),
      ]),
    };
    const html = this.template('layout')(
      {
        ...context,
        body: new Handlebars.SafeString(body),
        scripts: options.scripts ?? [],
        pageData,
      },
      { helpers },
    );
    reply.type('text/html; charset=utf-8').header('Cache-Control', 'no-store').send(html);
  }

  private areaMessages(locale: PageLocale, areas: string[]): Messages {
    const out: Messages = {};
    for (const [key, text] of Object.entries({ ...this.messages.es, ...this.messages[locale] })) {
      if (areas.some((area) => key.startsWith(`${area}.`)))
        out[key] = this.messages[locale][key] ?? text;
    }
    return out;
  }

  private template(name: string): Handlebars.TemplateDelegate {
    const cached = this.config.isProduction ? this.cache.get(name) : undefined;
    if (cached) return cached;
    const file = join(templatesDir(), 'pages', `${name}.hbs`);
    if (!existsSync(file)) throw new Error(`page template ${name} not found`);
    const compiled = this.hbs.compile(readFileSync(file, 'utf8'), { strict: false });
    this.cache.set(name, compiled);
    return compiled;
  }
}
