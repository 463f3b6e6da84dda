/**
 * Cards benchmark: `npm run bench:cards` (builds, then runs this file with node).
 *
 * Measures, in this one Node thread (one core):
 * - freshly signed .pkpass per second: passkit-generator builds the pass, the manifest is
 *   signed natively (pass-signer.ts), and the bundle zipped — every pass with new content;
 * - cached .pkpass per second: the same content asked again, served from the cache (content
 *   hash = ETag, no signing);
 * - QR PNG per second: a new rotating code each time, symbol + 1-bit PNG.
 * For comparison it also measures passkit-generator's own node-forge signature.
 * The last line is `cards: pkpass_per_s=N cached_pkpass_per_s=N qr_png_per_s=N`.
 */
import 'reflect-metadata';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { templatesDir } from '../../src/common';
import {
  ApplePassService,
  PassContent,
  readModel,
} from '../../src/modules/wallet/apple-pass.service';
import { staticCode } from '../../src/modules/cards/card-codes';
import { randomCardNumber } from '../../src/modules/cards/luhn';
import { makeTestPki } from '../../src/modules/wallet/pass-certificates';
import { qrPng } from '../../src/modules/cards/qr';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);

async function rate(name: string, fn: (i: number) => unknown, seconds = SECONDS) {
  for (let i = 0; i < 20; i++) await fn(i); // warm-up
  let n = 0;
  const start = process.hrtime.bigint();
  const end = start + BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() < end) await fn(n++);
  const perSecond = n / (Number(process.hrtime.bigint() - start) / 1e9);
  console.log(`  ${name.padEnd(44)} ${perSecond.toFixed(0).padStart(7)}/s  (${n} in ${seconds}s)`);
  return Math.round(perSecond);
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'fidelia-bench-'));
  // Searchable by user postgres (the server's user as root); mkdtemp makes it private.
  chmodSync(dataDir, 0o755);
  try {
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, {});
    const passes = new ApplePassService(config);
    await passes.init();
    const number = randomCardNumber();
    const content = (
      balance: number,
      serial = '5b2d43a4-8c1e-4c8f-9d0e-3f6f2a1b7c9d',
    ): PassContent => ({
      serialNumber: serial,
      authenticationToken: 'bench-authentication-token-0123456789',
      webServiceURL: 'https://fidelia.example.com/passkit',
      voided: false,
      name: 'Ana García López',
      number,
      tier: 'Gold',
      balance,
      code: staticCode('bench-programme-secret', number, 1),
    });
    console.log(`cards benchmark (node ${process.version}, ${SECONDS}s each, one thread)`);

    const signed = await rate('signed .pkpass (new content each time)', (i) =>
      passes.pass(content(i + 1_000_000)),
    );
    const cachedContent = content(1250, '0c1f7a52-4b0a-4e5e-a1d2-9a8b7c6d5e4f');
    await passes.pass(cachedContent);
    const cached = await rate('cached .pkpass (unchanged content)', async () => {
      const r = await passes.pass({ ...cachedContent });
      if (!r.fromCache) throw new Error('expected a cache hit');
    });
    const qr = await rate('QR PNG (new rotating code each time)', (i) =>
      qrPng(`FDL2.3f0c2b8e-6a0d-4c51-9a3e-2b7d5f1e9c44.${String(i % 1e8).padStart(8, '0')}`),
    );

    // passkit-generator's own signing (node-forge) for comparison: certificates not registered
    // with the native signer fall through to it.
    const other = await makeTestPki('pass.org.fidelia.bench', 'BENCHTEAM');
    const { PKPass } = await import('passkit-generator');
    const files = readModel(join(templatesDir(), 'passes', 'loyalty.pass'));
    const forgeCerts = {
      wwdr: other.wwdr,
      signerCert: other.signerCert,
      signerKey: other.signerKey,
    };
    await rate(
      'for comparison: node-forge signature',
      (i) => {
        const pass = new PKPass(files, forgeCerts, {
          serialNumber: `forge-${i}`,
          description: 'x',
        });
        pass.setBarcodes({
          format: 'PKBarcodeFormatQR',
          message: `FDL1.${i}`,
          messageEncoding: 'iso-8859-1',
        });
        return pass.getAsBuffer();
      },
      Math.min(SECONDS, 2),
    );

    console.log(`cards: pkpass_per_s=${signed} cached_pkpass_per_s=${cached} qr_png_per_s=${qr}`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
