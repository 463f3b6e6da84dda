import 'reflect-metadata';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { templatesDir } from '../../common';
import { AppConfig } from '../../config';
import type { PassCard } from '../cards';
import type { CardHolder } from './card-holders';
import { loadPassCertificates, PassCertificates } from './pass-certificates';
import { PassSigner } from './pass-signer';
import { zipStored } from './pkpass-zip';

/** Everything a pass shows or carries: two equal contents give equal passes (the cache key). */
export interface PassContent {
  serialNumber: string;
  authenticationToken: string;
  webServiceURL: string;
  voided: boolean;
  name: string;
  number: string;
  tier: string | null;
  balance: number;
  code: string;
}

export interface SignedPass {
  buffer: Buffer;
  /** Hash of the content: the ETag. */
  etag: string;
  fromCache: boolean;
}

const MAX_CACHED = 2000;

export const formatCardNumber = (n: string) => n.replace(/(\d{4})(?=\d)/g, '$1 ');

/**
 * Apple Wallet store cards, built from templates/passes/loyalty.pass: pass.json filled in, every
 * file's SHA-1 in manifest.json, the manifest signed natively (pass-signer.ts, about 1 ms) and all
 * zipped. passkit-generator did this before, but its only signer is node-forge's RSA (11–40
 * passes/s here, measured with npm run bench:cards), and speeding it up meant replacing its
 * private Signature module; it has no public hook for a signer, so the bundle is built here. A signed pass is kept per card and served again, without
 * signing, while its content is unchanged.
 */
@Injectable()
export class ApplePassService implements OnApplicationBootstrap {
  private readonly logger = new Logger('ApplePass');
  private ready?: Promise<{
    model: Record<string, Buffer>;
    certs: PassCertificates;
    signer: PassSigner;
  }>;
  private readonly cache = new Map<string, { etag: string; buffer: Buffer }>();

  constructor(private readonly config: AppConfig) {}

  /** Certificates (or the local test CA) at start, so the first pass is not slow; not in tests. */
  onApplicationBootstrap() {
    if (this.config.NODE_ENV !== 'test') {
      this.init().catch((err: unknown) =>
        this.logger.error({ err }, 'Apple Wallet certificates could not be loaded'),
      );
    }
  }

  init(): Promise<{ model: Record<string, Buffer>; certs: PassCertificates; signer: PassSigner }> {
    this.ready ??= (async () => {
      const certs = await loadPassCertificates(this.config, (m) => this.logger.warn(m));
      return {
        model: readModel(join(templatesDir(), 'passes', 'loyalty.pass')),
        certs,
        signer: new PassSigner(certs),
      };
    })();
    return this.ready;
  }

  async certificates(): Promise<PassCertificates> {
    return (await this.init()).certs;
  }

  /** The passes' web service base (Apple appends /v1/...). */
  get webServiceURL(): string {
    return `${this.config.publicUrl}/passkit`;
  }

  content(
    card: Pick<PassCard, 'passSerial' | 'passAuthToken' | 'status' | 'number'>,
    holder: CardHolder,
    code: string,
  ): PassContent {
    return {
      serialNumber: card.passSerial,
      authenticationToken: card.passAuthToken,
      webServiceURL: this.webServiceURL,
      voided: card.status !== 'active',
      name: holder.name,
      number: card.number,
      tier: holder.tier,
      balance: holder.balance,
      code,
    };
  }

  /** The signed .pkpass for this content: from the cache when unchanged, else built and signed. */
  async pass(content: PassContent): Promise<SignedPass> {
    const etag = createHash('sha1').update(JSON.stringify(content)).digest('base64url');
    const hit = this.cache.get(content.serialNumber);
    if (hit?.etag === etag) {
      // Map order is insertion order: re-insert to keep the most recently used last.
      this.cache.delete(content.serialNumber);
      this.cache.set(content.serialNumber, hit);
      return { buffer: hit.buffer, etag, fromCache: true };
    }
    const buffer = await this.build(content);
    this.cache.delete(content.serialNumber);
    this.cache.set(content.serialNumber, { etag, buffer });
    if (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    return { buffer, etag, fromCache: false };
  }

  /** Builds and signs a pass (no cache). */
  async build(c: PassContent): Promise<Buffer> {
    const { model, certs, signer } = await this.init();
    const template = JSON.parse(model['pass.json'].toString('utf8')) as Record<string, unknown>;
    const field = (key: string, label: string, value: string | number, extra = {}) => ({
      key,
      label,
      value,
      ...extra,
    });
    const number = formatCardNumber(c.number);
    const pass = {
      ...template,
      serialNumber: c.serialNumber,
      authenticationToken: c.authenticationToken,
      webServiceURL: c.webServiceURL,
      passTypeIdentifier: certs.passTypeIdentifier,
      teamIdentifier: certs.teamIdentifier,
      organizationName: this.config.PROGRAMME_NAME,
      logoText: this.config.PROGRAMME_NAME,
      ...(c.voided ? { voided: true } : {}),
      barcodes: [
        {
          format: 'PKBarcodeFormatQR',
          message: c.code,
          messageEncoding: 'iso-8859-1',
          altText: number,
        },
      ],
      storeCard: {
        headerFields: [
          field('tier', 'tier', c.tier ?? 'tier_none', { changeMessage: 'tier_changed' }),
        ],
        primaryFields: [
          field('points', 'points', c.balance, {
            changeMessage: 'points_changed',
            numberStyle: 'PKNumberStyleDecimal',
          }),
        ],
        secondaryFields: [field('member', 'member', c.name)],
        auxiliaryFields: [field('number', 'card_number', number)],
        backFields: [
          ...(c.voided ? [field('voided', 'voided', 'voided_text')] : []),
          field('how', 'how_to_use', 'how_to_use_text'),
        ],
      },
    };
    const files: [string, Buffer][] = [
      ...Object.entries(model).filter(([name]) => name !== 'pass.json'),
      ['pass.json', Buffer.from(JSON.stringify(pass))],
    ];
    const manifest = Buffer.from(
      JSON.stringify(
        Object.fromEntries(
          files.map(([name, data]) => [name, createHash('sha1').update(data).digest('hex')]),
        ),
      ),
    );
    files.push(['manifest.json', manifest], ['signature', signer.sign(manifest)]);
    return zipStored(files);
  }
}

/** The pass model's files (pass.json, images, <lang>.lproj/pass.strings) by relative path. */
export function readModel(dir: string): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    if (entry.isDirectory()) {
      for (const inner of readdirSync(join(dir, entry.name))) {
        if (!inner.startsWith('.')) {
          files[`${entry.name}/${inner}`] = readFileSync(join(dir, entry.name, inner));
        }
      }
    } else {
      files[entry.name] = readFileSync(join(dir, entry.name));
    }
  }
  return files;
}
