import { dirname, join } from 'node:path';

/** The folder of an installed npm package (or a folder inside it). */
export function packageDir(name: string, ...sub: string[]): string {
  return join(dirname(require.resolve(`${name}/package.json`)), ...sub);
}

/**
 * Browser libraries served from node_modules under /vendor/ (no CDN: every asset is local).
 * Add an entry here when a page needs one.
 */
export const VENDOR_ASSETS: { prefix: string; dir: string }[] = [];
