import Busboy, { type BusboyHeaders, type BusboyInstance } from '@fastify/busboy';
import type { FastifyRequest } from 'fastify';
import { documentTooLarge, invalidCase } from './cases.errors';

export interface MultipartUpload {
  bytes: Buffer;
  fileName: string | null;
  fields: Record<string, string>;
}

/** Text fields of an upload form (a document's kind, a title): at most this many, this long. */
const MAX_FIELDS = 10;
const MAX_FIELD_BYTES = 10_000;

/** Whether a request carries a multipart form (app.setup.ts leaves its body unread). */
function isMultipart(req: FastifyRequest): boolean {
  return /^multipart\/form-data\b/i.test(req.headers['content-type'] ?? '');
}

/**
 * The one file of a multipart request (field `file`) and its text fields, in any order. A file
 * over the limit is a 413 and is never kept; a second file, a file under another field or a
 * malformed or non-multipart body is a 400.
 *
 * busboy itself, not a Fastify plugin: only upload routes read multipart bodies, and the plugin
 * adds hooks to every request the till makes (two async hooks and a listener each).
 */
export function readUpload(req: FastifyRequest, maxBytes: number): Promise<MultipartUpload> {
  if (!isMultipart(req))
    return Promise.reject(invalidCase('file', 'send the file as multipart/form-data'));
  return new Promise((resolve, reject) => {
    let form: BusboyInstance;
    try {
      form = new Busboy({
        headers: req.headers as BusboyHeaders,
        limits: {
          fileSize: maxBytes,
          files: 1,
          fields: MAX_FIELDS,
          fieldSize: MAX_FIELD_BYTES,
          parts: MAX_FIELDS + 1,
        },
      });
    } catch {
      // No boundary, or a content type busboy does not read.
      reject(invalidCase('file', 'malformed multipart body'));
      return;
    }
    const fields: Record<string, string> = Object.create(null) as Record<string, string>;
    let file: { bytes: Buffer; fileName: string | null } | null = null;
    // The first thing wrong is the answer; the rest of the body is still read (and dropped),
    // so that the client receives it instead of a reset connection.
    let failure: Error | null = null;
    let done = false;
    const fail = (err: Error) => {
      failure ??= err;
    };
    const finish = () => {
      if (done) return;
      done = true;
      req.raw.unpipe(form);
      if (failure) reject(failure);
      else if (!file) reject(invalidCase('file', 'a file is required'));
      else resolve({ ...file, fields: { ...fields } });
    };
    const malformed = () => {
      fail(invalidCase('file', 'malformed multipart body'));
      finish();
    };

    form.on('file', (field, stream, fileName) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        if (!failure) chunks.push(chunk);
      });
      stream.on('limit', () => fail(documentTooLarge(maxBytes)));
      // The body ended inside this file.
      stream.on('error', malformed);
      stream.on('end', () => {
        if (field !== 'file') fail(invalidCase(field, 'unexpected file field (use "file")'));
        else if (!stream.truncated && !failure)
          file = { bytes: Buffer.concat(chunks), fileName: fileName || null };
      });
    });
    form.on('field', (name, value, _nameTruncated, valueTruncated) => {
      if (valueTruncated) fail(invalidCase(name, `at most ${MAX_FIELD_BYTES} bytes`));
      else fields[name] = value;
    });
    form.on('filesLimit', () => fail(invalidCase('file', 'one file per request')));
    form.on('fieldsLimit', () => fail(invalidCase('file', `at most ${MAX_FIELDS} fields`)));
    form.on('partsLimit', () => fail(invalidCase('file', `at most ${MAX_FIELDS} fields`)));
    form.on('error', malformed);
    form.on('finish', finish);
    // A client that goes away mid-upload: nothing is kept.
    const cutShort = () => {
      if (req.raw.complete) return;
      fail(invalidCase('file', 'the upload was cut short'));
      finish();
    };
    req.raw.on('close', cutShort);
    req.raw.on('error', cutShort);
    req.raw.pipe(form);
  });
}
