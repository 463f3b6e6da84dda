import { pdfText } from '../../../test/utils/pdf-text';
import { renderReceiptPdf, winAnsi } from './receipt-pdf';

describe('receipt PDF', () => {
  it('carries the number, the fields and Spanish letters, readable by a PDF text extractor', async () => {
    const pdf = await renderReceiptPdf({
      title: 'Justificante de recepción',
      number: 'REC-2026-000123',
      fields: [['Plazo máximo de respuesta', '23 de abril de 2026 (15 días hábiles)']],
      paragraphs: ['Reclamación sobre un artículo dañado: «pequeño» defecto, 12,50 €.'],
      footer: 'Fidelia',
    });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(pdf);
    expect(text).toContain('REC-2026-000123');
    expect(text).toContain('23 de abril de 2026');
    expect(text).toContain('recepción');
  });

  it.each([
    ['García Muñoz', 'García Muñoz'],
    ['Lluís Puigdemont i Casamajó', 'Lluís Puigdemont i Casamajó'],
    ['price 10 €', 'price 10 €'],
    ['名前', '??'],
    ['emoji 😀', 'emoji ??'],
  ])('winAnsi(%s)', (input, expected) => expect(winAnsi(input)).toBe(expected));
});
