import type { FastifyRequest } from 'fastify';
import { documentTooLarge, invalidCase } from './cases.errors';

export interface MultipartUpload {
  bytes: Buffer;
  fileName: string | null;
  fields: Record<string, string>;
}

const codeOf = (err: unknown) => (err as { code?: unknown } | null)?.code;

/**
 * The one file of a multipart request (field `file`) and its text fields, in any order. A file
 * over the limit is a 413 and is never kept; a second file or a non-multipart body is a 400.
 */
export async function readUpload(req: FastifyRequest, maxBytes: number): Promise<MultipartUpload> {
  if (!req.isMultipart()) throw invalidCase('file', 'send the file as multipart/form-data');
  const fields: Record<string, string> = {};
  let file: { bytes: Buffer; fileName: string | null } | null = null;
  try {
    for await (const part of req.parts({ limits: { fileSize: maxBytes, files: 1, fields: 10 } })) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          await part.toBuffer();
          throw invalidCase(part.fieldname, 'unexpected file field (use "file")');
        }
        file = { bytes: await part.toBuffer(), fileName: part.filename || null };
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      }
    }
  } catch (err) {
    if (codeOf(err) === 'FST_REQ_FILE_TOO_LARGE') throw documentTooLarge(maxBytes);
    if (codeOf(err) === 'FST_FILES_LIMIT') throw invalidCase('file', 'one file per request');
    if (typeof codeOf(err) === 'string' && String(codeOf(err)).startsWith('FST_'))
      throw invalidCase('file', 'malformed multipart body');
    throw err;
  }
  if (!file) throw invalidCase('file', 'a file is required');
  return { ...file, fields };
}
