import { join } from 'node:path';
import { definePDFJSModule, extractText, getDocumentProxy } from 'unpdf';

let ready: Promise<void> | undefined;

/**
 * unpdf loads its PDF.js build with a dynamic import, which Jest cannot run in CommonJS; the
 * build is handed to it from a require (Jest's transform turns the .mjs into CommonJS).
 */
function loadPdfJs(): Promise<void> {
  ready ??= definePDFJSModule(() =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    Promise.resolve(require(join(require.resolve('unpdf'), '..', 'pdfjs.mjs'))),
  );
  return ready;
}

/** The text of a PDF, pages joined, as a reader would copy it (unpdf's PDF.js build). */
export async function pdfText(bytes: Buffer): Promise<string> {
  await loadPdfJs();
  const doc = await getDocumentProxy(new Uint8Array(bytes));
  const { text } = await extractText(doc, { mergePages: true });
  return text;
}

/** supertest parser that keeps a binary body as a Buffer. */
export function binary(
  res: import('supertest').Response,
  done: (err: Error | null, body: Buffer) => void,
): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}
