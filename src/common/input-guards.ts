import { CommonError, CommonErrorCode, ErrorDetail } from './errors';

/**
 * Limits on what a request may carry, checked before validation (issue 13, defects 4 and 5).
 * class-transformer and class-validator recurse over the whole body, so a 200 KB body of nested
 * arrays overflowed the stack (a 500) and took a core for a while; a string with a NUL reached
 * PostgreSQL (22021, a 500). Both are refused here, cheaply, with a 400 naming the field.
 */

/** Deeper JSON than any of our DTOs needs (the deepest, a promotion's conditions, is ~8). */
export const MAX_JSON_DEPTH = 32;

/**
 * True when the JSON text nests arrays/objects deeper than `max`. One pass over the text, no
 * parsing and no recursion: brackets inside strings are skipped (escapes respected).
 */
export function jsonDepthExceeds(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

export const bodyTooDeep = () =>
  new CommonError(
    'invalid',
    CommonErrorCode.BodyTooDeep,
    `request body nests deeper than ${MAX_JSON_DEPTH} levels`,
    [
      {
        field: 'body',
        reason: `nested deeper than ${MAX_JSON_DEPTH} levels`,
        constraint: 'tooDeep',
        args: { max: MAX_JSON_DEPTH },
      },
    ],
  );

/**
 * C0 control characters except tab, line feed and carriage return (free text keeps its lines),
 * DEL, and lone UTF-16 surrogates (not encodable as UTF-8).
 */
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|\p{Cs}/u;
const BLANK = /^\s+$/u;
/** Fields whose value is a secret: spaces are the caller's business there. */
const SECRET_FIELD = /password|secret|code$/i;

/**
 * The first string in a request value (body, query or path parameter) that is refused: a
 * control character anywhere, or a value made only of white space. Iterative, so it cannot be
 * made to overflow; `field` is the dotted path (`lines.0.sku`), built only for objects and
 * arrays (their children need it) and for the value refused: every till request passes here.
 */
export function findBadString(value: unknown, root = ''): ErrorDetail | undefined {
  // The values still to look at, each with its parent's path and its own key (null: the root).
  const values: unknown[] = [value];
  const parents: string[] = [root];
  const keys: (string | null)[] = [null];
  let seen = 0;
  while (values.length) {
    const v = values.pop();
    const parent = parents.pop()!;
    const key = keys.pop()!;
    if (++seen > 100_000)
      return { field: root || 'body', reason: 'too many values', constraint: 'tooManyValues' };
    if (typeof v === 'string') {
      if (FORBIDDEN.test(v))
        return {
          field: pathOf(parent, key) || 'body',
          reason: 'must not contain control characters',
          constraint: 'control',
        };
      if (BLANK.test(v)) {
        const name = key ?? parent.slice(parent.lastIndexOf('.') + 1);
        if (!SECRET_FIELD.test(name))
          return {
            field: pathOf(parent, key) || 'body',
            reason: 'must not be blank',
            constraint: 'blank',
          };
      }
    } else if (Array.isArray(v)) {
      const path = pathOf(parent, key);
      for (let i = v.length - 1; i >= 0; i--) {
        values.push(v[i]);
        parents.push(path);
        keys.push(String(i));
      }
    } else if (v !== null && typeof v === 'object') {
      const path = pathOf(parent, key);
      const names = Object.keys(v);
      for (let i = names.length - 1; i >= 0; i--) {
        const k = names[i];
        if (FORBIDDEN.test(k))
          return {
            field: path || 'body',
            reason: 'must not contain control characters',
            constraint: 'control',
          };
        values.push((v as Record<string, unknown>)[k]);
        parents.push(path);
        keys.push(k);
      }
    }
  }
  return undefined;
}

function pathOf(parent: string, key: string | null): string {
  if (key === null) return parent;
  return parent ? `${parent}.${key}` : key;
}
