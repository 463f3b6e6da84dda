import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PageRenderer, Public } from '../../common';

/** The optional consents a customer chooses when enrolled at the till (terms are asked apart). */
const TILL_CONSENTS = ['followup', 'marketing_email', 'marketing_sms', 'calls', 'profiling'];

/**
 * The till (`/till`): the page is public HTML; its script signs the cashier in through
 * `/login?next=/till` and calls the checkout API with the staff token, which is where access
 * is enforced.
 */
@ApiExcludeController()
@Controller()
export class TillPagesController {
  constructor(private readonly pages: PageRenderer) {}

  @Get('till')
  @Public()
  till(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    this.pages.render(req, reply, 'till', {
      title: 'till.title',
      scripts: ['staff-session.js', 'till-queue.js', 'qr-scanner.js', 'till.js'],
      consentItems: TILL_CONSENTS.map((purpose) => ({
        purpose,
        labelKey: `till.enrol.purpose.${purpose}`,
      })),
      messages: ['till'],
      data: {
        currency: 'EUR',
        scanner: {
          detector: '/vendor/barcode-detector/ponyfill.js',
          wasmBase: '/vendor/zxing-wasm/',
          jsqr: '/vendor/jsqr/jsQR.js',
          width: 480,
        },
      },
    });
  }
}
