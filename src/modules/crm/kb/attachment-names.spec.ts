import { fileNameOf, sizeLabel } from './attachment-names';

describe('fileNameOf', () => {
  it.each([
    ['folleto.pdf', 'application/pdf', 'folleto.pdf'],
    ['../../etc/folleto.pdf', 'application/pdf', 'folleto.pdf'],
    ['C:\\Users\\ana\\manual.PDF', 'application/pdf', 'manual.pdf'],
    ['brochure.exe', 'application/pdf', 'brochure.pdf'],
    ['foto sin extension', 'image/jpeg', 'foto sin extension.jpg'],
    ['"quoted"\u0007.png', 'image/png', 'quoted.png'],
    [null, 'application/pdf', 'document.pdf'],
    ['', 'image/webp', 'document.webp'],
    ['.pdf', 'application/pdf', 'document.pdf'],
    ['Catálogo otoño.pdf', 'application/pdf', 'Catálogo otoño.pdf'],
  ] as const)('%j as %s → %s', (given, type, expected) => {
    expect(fileNameOf(given, type)).toBe(expected);
  });

  it('keeps at most 120 characters before the extension', () => {
    expect(fileNameOf(`${'a'.repeat(300)}.pdf`, 'application/pdf')).toBe(`${'a'.repeat(120)}.pdf`);
  });
});

describe('sizeLabel', () => {
  it.each([
    [1, '1 kB'],
    [499, '1 kB'],
    [340_000, '340 kB'],
    [999_999, '1000 kB'],
    [1_000_000, '1.0 MB'],
    [12_345_678, '12.3 MB'],
  ])('%d bytes → %s', (bytes, expected) => {
    expect(sizeLabel(bytes)).toBe(expected);
  });
});
