import PDFDocument from 'pdfkit';

export interface ReceiptContent {
  title: string;
  /** The registry number, printed large. */
  number: string;
  /** Label and value pairs, in order. */
  fields: Array<[string, string]>;
  /** Paragraphs under the fields (summary, legal notes). */
  paragraphs: string[];
  footer: string;
}

/**
 * The standard PDF fonts encode WinAnsi only (pdfkit throws or prints garbage past it): Spanish,
 * Catalan and the euro sign are in it; anything else becomes "?" rather than failing a receipt.
 */
export function winAnsi(text: string): string {
  return text.normalize('NFC').replace(/[^\x20-\x7e\xa0-\xff\n€‘’“”–—•…]/g, '?');
}

/** A one-page receipt (A4) as a PDF buffer. */
export function renderReceiptPdf(c: ReceiptContent): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: 56,
      info: { Title: winAnsi(`${c.title} ${c.number}`), Producer: 'Fidelia' },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);

    doc.font('Helvetica-Bold').fontSize(18).text(winAnsi(c.title));
    doc.moveDown(0.5);
    doc.font('Helvetica-Bold').fontSize(22).text(c.number);
    doc.moveDown();
    for (const [label, value] of c.fields) {
      doc
        .font('Helvetica-Bold')
        .fontSize(11)
        .text(winAnsi(`${label}: `), { continued: true });
      doc.font('Helvetica').text(winAnsi(value));
    }
    doc.moveDown();
    for (const p of c.paragraphs) {
      doc.font('Helvetica').fontSize(11).text(winAnsi(p));
      doc.moveDown(0.5);
    }
    doc.moveDown();
    doc.font('Helvetica').fontSize(9).fillColor('#555555').text(winAnsi(c.footer));
    doc.end();
  });
}
