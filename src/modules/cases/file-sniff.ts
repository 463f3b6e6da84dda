/**
 * The type of an uploaded file read from its first bytes, never from its name or the declared
 * type: only these are accepted as documents.
 */
export const DOCUMENT_TYPES = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'image/tiff': 'tif',
} as const;
export type DocumentContentType = keyof typeof DOCUMENT_TYPES;

const starts = (b: Uint8Array, sig: number[], at = 0) =>
  b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

export function sniffContentType(bytes: Uint8Array): DocumentContentType | null {
  if (starts(bytes, ascii('%PDF-'))) return 'application/pdf';
  if (starts(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts(bytes, ascii('RIFF')) && starts(bytes, ascii('WEBP'), 8)) return 'image/webp';
  if (starts(bytes, ascii('ftyp'), 4) && /^(heic|heix|mif1|msf1|hevc)$/.test(brand(bytes)))
    return 'image/heic';
  if (starts(bytes, [0x49, 0x49, 0x2a, 0x00]) || starts(bytes, [0x4d, 0x4d, 0x00, 0x2a]))
    return 'image/tiff';
  return null;
}

const brand = (b: Uint8Array) => String.fromCharCode(...b.subarray(8, 12));
