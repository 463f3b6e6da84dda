import { Module } from '@nestjs/common';
import { TillPagesController } from './till-pages.controller';

/** The cashier's page; the work is done by the checkout API it calls. */
@Module({ controllers: [TillPagesController] })
export class TillModule {}
