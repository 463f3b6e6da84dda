import { dirname, join, sep } from 'node:path';

/** The folder of an installed npm package (or a folder inside it). */
export function packageDir(name: string, ...sub: string[]): string {
  return join(packageRoot(name), ...sub);
}

function packageRoot(name: string): string {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    // Packages whose "exports" hide package.json: climb from the entry point to node_modules/<name>.
    const entry = require.resolve(name);
    const marker = `${sep}node_modules${sep}${name.split('/').join(sep)}${sep}`;
    const at = entry.lastIndexOf(marker);
    if (at < 0) throw new Error(`cannot locate the folder of package ${name}`);
    return entry.slice(0, at + marker.length - 1);
  }
}

/**
 * Browser libraries served from node_modules under /vendor/ (no CDN: every asset is local).
 * Add an entry here when a page needs one.
 */
export const VENDOR_ASSETS: { prefix: string; dir: string }[] = [
  // The till's QR scanner: the BarcodeDetector ponyfill (IIFE build) and its ZXing WebAssembly
  // reader, located at our server (not jsDelivr); jsQR as the fallback decoder.
  { prefix: '/vendor/barcode-detector/', dir: packageDir('barcode-detector', 'dist', 'iife') },
  { prefix: '/vendor/zxing-wasm/', dir: packageDir('zxing-wasm', 'dist', 'reader') },
  { prefix: '/vendor/jsqr/', dir: packageDir('jsqr', 'dist') },
  // ICU messages (plurals, numbers) in page scripts, the same library the server formats with.
  { prefix: '/vendor/intl-messageformat/', dir: packageDir('intl-messageformat') },
];
