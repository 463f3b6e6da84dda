import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PageRenderer, templatesDir } from '../../common';
import { loadConfig } from '../../config';
import { MessageRenderer } from './message-renderer';

const config = loadConfig({ NODE_ENV: 'test', PUBLIC_URL: 'https://fidelia.example' }, {});
const renderer = new MessageRenderer(config, new PageRenderer(config));

/** Realistic values for the payload fields the templates use (a missing one renders empty). */
const SAMPLE: Record<string, unknown> = {
  code: '123456',
  firstName: 'Ana',
  storeName: 'Zapatería Centro',
  surveyUrl: `https://fidelia.example/s/${'x'.repeat(43)}`,
  url: 'https://fidelia.example/o/abc',
  headline: '2x1 en zapatillas este sábado',
  body: 'Solo en tiendas.',
  reason: 'Aceptaste el contacto posventa.',
  title: 'Horario de las tiendas',
};

const templates = readdirSync(join(templatesDir(), 'messages')).filter((d) => !d.startsWith('_'));

describe.each(templates)('message template %s', (template) => {
  it.each(['es', 'en'])('renders in %s; its SMS fits one segment (as it is sent)', (locale) => {
    const dir = join(templatesDir(), 'messages', template, locale);
    expect(existsSync(dir)).toBe(true);
    for (const purpose of ['service', 'marketing'] as const) {
      const input = { template, locale, purpose, payload: SAMPLE, optOutUrl: 'https://x/u/t' };
      if (existsSync(join(dir, 'email.subject.hbs'))) {
        const mail = renderer.email(input);
        expect(mail.subject.length).toBeGreaterThan(0);
        expect(mail.html).toContain('<html');
        expect(mail.text.length).toBeGreaterThan(20);
      }
      // Marketing SMS carry the opt-out keyword: only marketing templates are sent that way.
      const sentAs = template.startsWith('marketing-') ? 'marketing' : 'service';
      if (existsSync(join(dir, 'sms.hbs')) && purpose === sentAs) {
        const sms = renderer.sms(input);
        expect(sms.length).toMatchObject({ encoding: 'GSM-7', segments: 1 });
      }
    }
  });
});

describe('MessageRenderer', () => {
  it('escapes payload values in HTML but not in the text part or subject', () => {
    const mail = renderer.email({
      template: 'marketing-offer',
      locale: 'en',
      purpose: 'marketing',
      payload: { headline: 'Tom & Jerry <3', body: '<b>x</b>' },
      optOutUrl: 'https://fidelia.example/unsubscribe/t',
    });
    expect(mail.subject).toBe('Tom & Jerry <3');
    expect(mail.html).toContain('Tom &amp; Jerry &lt;3');
    expect(mail.html).not.toContain('<b>x</b>');
    expect(mail.text).toContain('<b>x</b>');
    expect(mail.text).toContain(
      'Unsubscribe from offers by email: https://fidelia.example/unsubscribe/t',
    );
  });

  it('falls back to Spanish for a locale it does not have, and refuses unknown templates', () => {
    expect(renderer.localeFor('member-login-code', 'fr', 'sms')).toBe('es');
    expect(() =>
      renderer.sms({ template: '../secrets', locale: 'es', purpose: 'service', payload: {} }),
    ).toThrow('message template ../secrets has no sms');
  });
});
