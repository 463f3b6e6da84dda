import { isIP } from 'node:net';

/**
 * Whether a listening address is reachable only from this machine (issue 13, defect 14: demo
 * passwords are published, so a server that has them listens on loopback only).
 */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || /^::ffff:127\./.test(h);
  return false;
}
