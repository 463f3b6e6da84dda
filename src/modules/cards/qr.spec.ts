import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { qrModules, qrPng, segmentsOf } from './qr';

const samples = (): string[] => {
  const out = ['A', '4012345678901238', 'FDL1.4012345678901238.K3QXBZ7TYV2MPL4A'];
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_:/ ';
  for (let i = 0; i < 300; i++) {
    const length = 1 + Math.floor(rand() * 220);
    let s = '';
    for (let j = 0; j < length; j++) s += alphabet[Math.floor(rand() * alphabet.length)];
    out.push(i % 3 === 0 ? `FDL2.${crypto.randomUUID()}.${String(i).padStart(8, '0')}` : s);
  }
  return out;
};

describe('QR', () => {
  it('picks the same mask as qrcode: identical modules for 300+ texts of versions 1 to 10', () => {
    const versions = new Set<number>();
    for (const text of samples()) {
      const reference = QRCode.create(segmentsOf(text), { errorCorrectionLevel: 'M' });
      versions.add(reference.version);
      const mine = qrModules(text);
      expect(mine.size).toBe(reference.modules.size);
      expect(Buffer.from(mine.data).equals(Buffer.from(reference.modules.data))).toBe(true);
    }
    expect(Math.max(...versions)).toBeGreaterThanOrEqual(8);
    expect(versions.size).toBeGreaterThanOrEqual(8);
  });

  it.each([
    ['4012345678901238', 'numeric'],
    ['FDL1.4012345678901238.K3QXBZ7TYV2MPL4A', 'alphanumeric'],
    ['FDL2.3f0c2b8e-6a0d-4c51-9a3e-2b7d5f1e9c44.94287082', 'byte'],
    ['fdl1.x', 'byte'],
  ])('encodes %s in %s mode', (text, mode) => {
    const [segment] = segmentsOf(text);
    expect(segment.mode).toBe(mode);
    expect(Buffer.from(segment.data as string | Buffer).toString()).toBe(text);
  });

  it.each([
    ['a static code', 'FDL1.4012345678901238.K3QXBZ7TYV2MPL4A', 8],
    ['a rotating code', 'FDL2.3f0c2b8e-6a0d-4c51-9a3e-2b7d5f1e9c44.94287082', 4],
    ['a card number', '4012345678901238', 2],
  ])('writes a PNG of %s that an independent decoder reads back', (_name, text, scale) => {
    const png = PNG.sync.read(qrPng(text, { scale }));
    const modules = QRCode.create(segmentsOf(text), { errorCorrectionLevel: 'M' }).modules.size;
    expect(png.width).toBe((modules + 8) * scale);
    expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe(text);
  });
});
