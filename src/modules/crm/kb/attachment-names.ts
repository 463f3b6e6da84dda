import { DOCUMENT_TYPES, DocumentContentType } from '../../cases';

/**
 * The name shown and offered on download: the uploader's, without folders or control
 * characters, with the extension of what the file really is.
 */
export function fileNameOf(given: string | null, type: DocumentContentType): string {
  const ext = DOCUMENT_TYPES[type];
  const base = (given ?? '')
    .split(/[\\/]/)
    .pop()!
    .replace(/[\p{Cc}"]/gu, '')
    .trim()
    .replace(/\.[^.]*$/, '')
    .slice(0, 120);
  return `${base || 'document'}.${ext}`;
}

/** 1.2 MB, 340 kB: enough to decide whether to download on a phone. */
export function sizeLabel(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1000))} kB`;
}
