import 'reflect-metadata';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PKPass } from 'passkit-generator';
import { templatesDir } from '../../common';
import { AppConfig } from '../../config';
import type { PassCard } from '../cards';
import type { CardHolder } from './card-holders';
import { loadPassCertificates, PassCertificates } from './pass-certificates';
import { registerNativeSigner } from './pass-signer';

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
 * Apple Wallet store cards, built by passkit-generator from templates/passes/loyalty.pass and
 * signed natively (pass-signer.ts). A signed pass is kept per card and served again, without
 * signing, while its content is unchanged.
 */
@Injectable()
export class ApplePassService implements OnApplicationBootstrap {
  private readonly logger = new Logger('ApplePass');
  private ready?: Promise<{ model: Record<string, Buffer>; certs: PassCertificates }>;
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

  init(): Promise<{ model: Record<string, Buffer>; certs: PassCertificates }> {
    this.ready ??= (async () => {
      const certs = await loadPassCertificates(this.config, (m) => this.logger.warn(m));
      registerNativeSigner(certs);
      return { model: readModel(join(templatesDir(), 'passes', 'loyalty.pass')), certs };
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
    const { model, certs } = await this.init();
    // From the model's files (read once at start) rather than PKPass.from(template): cloning a
    // PKPass drops the model's localisations (es.lproj, en.lproj) in passkit-generator 3.6.
    const certificates = {
      wwdr: certs.wwdr,
      signerCert: certs.signerCert,
      signerKey: certs.signerKey,
    };
    const pass = new PKPass(model, certificates, {
      serialNumber: c.serialNumber,
      authenticationToken: c.authenticationToken,
      webServiceURL: c.webServiceURL,
      passTypeIdentifier: certs.passTypeIdentifier,
      teamIdentifier: certs.teamIdentifier,
      organizationName: this.config.PROGRAMME_NAME,
      logoText: this.config.PROGRAMME_NAME,
      ...(c.voided ? { voided: true } : {}),
    });
    const card = pass.types[0];
    card.headerFields.push({
      key: 'tier',
      label: 'tier',
      value: c.tier ?? 'tier_none',
      changeMessage: 'tier_changed',
    });
    card.primaryFields.push({
      key: 'points',
      label: 'points',
      value: c.balance,
      changeMessage: 'points_changed',
      numberStyle: 'PKNumberStyleDecimal',
    });
    card.secondaryFields.push({ key: 'member', label: 'member', value: c.name });
    card.auxiliaryFields.push({
      key: 'number',
      label: 'card_number',
      value: formatCardNumber(c.number),
    });
    if (c.voided) card.backFields.push({ key: 'voided', label: 'voided', value: 'voided_text' });
    card.backFields.push({ key: 'how', label: 'how_to_use', value: 'how_to_use_text' });
    pass.setBarcodes({
      format: 'PKBarcodeFormatQR',
      message: c.code,
      messageEncoding: 'iso-8859-1',
      altText: formatCardNumber(c.number),
    });
    return pass.getAsBuffer();
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
