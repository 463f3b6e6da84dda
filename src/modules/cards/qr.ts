import QRCode, { QRCodeSegment } from 'qrcode';
import { crc32, deflateSync } from 'node:zlib';

/**
 * QR images of card codes. The symbol comes from the `qrcode` package; the PNG is written here
 * as a 1-bit greyscale image (a few hundred bytes), which is ~10× faster than qrcode's RGBA PNG
 * renderer and decodes the same with any reader.
 */
export interface QrImageOptions {
  /** Pixels per module. */
  scale?: number;
  /** Quiet zone, in modules (the standard asks for 4). */
  margin?: number;
}

const QR_OPTIONS = { errorCorrectionLevel: 'M' } as const;
const EC_LEVEL_M_BITS = 0; // the format-info bits of level M (L = 1, M = 0, Q = 3, H = 2)
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * The QR symbol's modules (1 = dark), row by row, with the mask a standard encoder picks.
 *
 * `qrcode` picks the mask by applying all eight and scoring each with the four penalty rules of
 * ISO/IEC 18004 — two thirds of its time. Here the symbol is made once with mask 0, unmasked,
 * and the same eight candidates are scored with the same rules over flat arrays, which is about
 * ten times faster; a unit test checks the result equals `qrcode`'s own, module for module.
 */
export function qrModules(text: string): { size: number; data: Uint8Array } {
  const { modules, version } = QRCode.create(segmentsOf(text), { ...QR_OPTIONS, maskPattern: 0 });
  const { size, data: masked } = modules;
  const reserved = reservedModules(version);
  const n = size * size;
  const masks = maskTables(size);
  // The data modules without mask 0 (function patterns and format bits stay as they are).
  const base = new Uint8Array(n);
  for (let i = 0; i < n; i++) base[i] = reserved[i] ? masked[i] : masked[i] ^ masks[0][i];
  let best = new Uint8Array(n);
  let candidate = new Uint8Array(n);
  let lowest = Infinity;
  for (let p = 0; p < 8; p++) {
    const mask = masks[p];
    for (let i = 0; i < n; i++) candidate[i] = reserved[i] ? base[i] : base[i] ^ mask[i];
    placeFormatInfo(candidate, size, p);
    const score = penalty(candidate, size);
    if (score < lowest) {
      lowest = score;
      [best, candidate] = [candidate, best];
    }
  }
  return { size, data: best };
}

const reservedCache = new Map<number, Uint8Array>();

/**
 * The modules no mask touches (finder, timing and alignment patterns, format and version areas)
 * for a QR version, through qrcode's public API only: one symbol per mask, from the same text at
 * that version. A data module follows the masks (its colours under masks p and 0 differ exactly
 * where the two masks differ); any other module is reserved. A data module on which all eight
 * masks agree is counted as reserved, which changes nothing: every mask leaves it as it is.
 * Computed once per version (a symbol's layout depends on nothing else).
 */
function reservedModules(version: number): Uint8Array {
  let reserved = reservedCache.get(version);
  if (reserved) return reserved;
  const symbols = Array.from(
    { length: 8 },
    (_, p) =>
      QRCode.create('0', { ...QR_OPTIONS, version, maskPattern: p as QRCode.QRCodeMaskPattern })
        .modules,
  );
  const size = symbols[0].size;
  const masks = maskTables(size);
  reserved = new Uint8Array(size * size);
  for (let i = 0; i < size * size; i++) {
    let data = false;
    for (let p = 1; p < 8; p++) {
      const differs = (symbols[p].data[i] ^ symbols[0].data[i]) === 1;
      const masksDiffer = (masks[p][i] ^ masks[0][i]) === 1;
      if (differs !== masksDiffer) {
        data = false;
        break;
      }
      if (masksDiffer) data = true;
    }
    reserved[i] = data ? 0 : 1;
  }
  reservedCache.set(version, reserved);
  return reserved;
}

const maskCache = new Map<number, Uint8Array[]>();

/** The eight mask patterns for a symbol size, as 0/1 per module (computed once per size). */
function maskTables(size: number): Uint8Array[] {
  let tables = maskCache.get(size);
  if (!tables) {
    tables = [];
    for (let p = 0; p < 8; p++) {
      const t = new Uint8Array(size * size);
      for (let r = 0; r < size; r++) {
        for (let c = 0; c < size; c++) t[r * size + c] = maskBit(p, r, c) ? 1 : 0;
      }
      tables.push(t);
    }
    maskCache.set(size, tables);
  }
  return tables;
}

/**
 * One segment in the smallest mode that holds the whole text: numeric for typed numbers,
 * alphanumeric for static codes (upper case, digits and dots), bytes otherwise. `qrcode`'s own
 * mixed-mode optimisation (a shortest-path search) costs more than the rest of the symbol and
 * saves nothing on codes this short.
 */
export function segmentsOf(text: string): QRCodeSegment[] {
  if (/^\d+$/.test(text)) return [{ data: text, mode: 'numeric' }];
  if (/^[0-9A-Z $%*+\-./:]+$/.test(text)) return [{ data: text, mode: 'alphanumeric' }];
  return [{ data: Buffer.from(text, 'utf8'), mode: 'byte' }];
}

function maskBit(p: number, i: number, j: number): boolean {
  switch (p) {
    case 0:
      return (i + j) % 2 === 0;
    case 1:
      return i % 2 === 0;
    case 2:
      return j % 3 === 0;
    case 3:
      return (i + j) % 3 === 0;
    case 4:
      return (Math.floor(i / 2) + Math.floor(j / 3)) % 2 === 0;
    case 5:
      return ((i * j) % 2) + ((i * j) % 3) === 0;
    case 6:
      return (((i * j) % 2) + ((i * j) % 3)) % 2 === 0;
    default:
      return (((i * j) % 3) + ((i + j) % 2)) % 2 === 0;
  }
}

const bchDigit = (v: number) => (v === 0 ? 0 : 32 - Math.clz32(v));

/** The 15 format-info bits (level M, mask p), BCH-protected and masked, placed twice. */
function placeFormatInfo(m: Uint8Array, size: number, mask: number): void {
  const G15 = 0b10100110111;
  const data = (EC_LEVEL_M_BITS << 3) | mask;
  let d = data << 10;
  while (bchDigit(d) - bchDigit(G15) >= 0) d ^= G15 << (bchDigit(d) - bchDigit(G15));
  const bits = ((data << 10) | d) ^ 0b101010000010010;
  for (let i = 0; i < 15; i++) {
    const bit = (bits >> i) & 1;
    const row = i < 6 ? i : i < 8 ? i + 1 : size - 15 + i;
    m[row * size + 8] = bit;
    const col = i < 8 ? size - i - 1 : i < 9 ? 15 - i : 14 - i;
    m[8 * size + col] = bit;
  }
  m[(size - 8) * size + 8] = 1;
}

/** ISO/IEC 18004 mask penalty: N1 runs, N2 2×2 blocks, N3 finder-like runs, N4 dark balance. */
function penalty(m: Uint8Array, size: number): number {
  let n1 = 0;
  let n3 = 0;
  for (let a = 0; a < size; a++) {
    let runRow = 0;
    let runCol = 0;
    let lastRow = -1;
    let lastCol = -1;
    let bitsRow = 0;
    let bitsCol = 0;
    for (let b = 0; b < size; b++) {
      const h = m[a * size + b]; // along row a
      const v = m[b * size + a]; // down column a
      if (h === lastRow) runRow++;
      else {
        if (runRow >= 5) n1 += 3 + runRow - 5;
        lastRow = h;
        runRow = 1;
      }
      if (v === lastCol) runCol++;
      else {
        if (runCol >= 5) n1 += 3 + runCol - 5;
        lastCol = v;
        runCol = 1;
      }
      bitsRow = ((bitsRow << 1) & 0x7ff) | h;
      bitsCol = ((bitsCol << 1) & 0x7ff) | v;
      if (b >= 10) {
        if (bitsRow === 0x5d0 || bitsRow === 0x05d) n3++;
        if (bitsCol === 0x5d0 || bitsCol === 0x05d) n3++;
      }
    }
    if (runRow >= 5) n1 += 3 + runRow - 5;
    if (runCol >= 5) n1 += 3 + runCol - 5;
  }
  let n2 = 0;
  let dark = 0;
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const i = r * size + c;
      dark += m[i];
      if (r < size - 1 && c < size - 1) {
        const sum = m[i] + m[i + 1] + m[i + size] + m[i + size + 1];
        if (sum === 0 || sum === 4) n2++;
      }
    }
  }
  const k = Math.abs(Math.ceil((dark * 100) / (size * size) / 5) - 10);
  return n1 + n2 * 3 + n3 * 40 + k * 10;
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

export function qrPng(text: string, opts: QrImageOptions = {}): Buffer {
  const scale = opts.scale ?? 8;
  const margin = opts.margin ?? 4;
  const { size, data } = qrModules(text);
  const px = (size + 2 * margin) * scale;
  const rowBytes = 1 + Math.ceil(px / 8); // filter byte + 1 bit per pixel
  // Each module row is one distinct pixel row followed by scale-1 copies: the copies use PNG's
  // "Up" filter, so they are all zeros and cost deflate nothing.
  const raw = Buffer.alloc(rowBytes * px);
  const line = Buffer.alloc(rowBytes);
  const emit = (y0: number) => {
    line.copy(raw, y0 * rowBytes);
    for (let y = y0 + 1; y < y0 + scale; y++) raw[y * rowBytes] = 2; // filter: up
  };
  line.fill(0xff);
  line[0] = 0;
  for (let r = 0; r < margin; r++) emit(r * scale);
  for (let r = size + margin; r < size + 2 * margin; r++) emit(r * scale);
  for (let r = 0; r < size; r++) {
    line.fill(0xff);
    line[0] = 0; // filter: none
    for (let c = 0; c < size; c++) {
      if (!data[r * size + c]) continue;
      const x0 = (c + margin) * scale;
      for (let x = x0; x < x0 + scale; x++) line[1 + (x >> 3)] &= ~(0x80 >> (x & 7));
    }
    emit((r + margin) * scale);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(px, 0);
  header.writeUInt32BE(px, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // greyscale
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 1 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export function qrSvg(text: string, opts: QrImageOptions = {}): Promise<string> {
  return QRCode.toString(text, { ...QR_OPTIONS, type: 'svg', margin: opts.margin ?? 4 });
}
