import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit';
import { Card } from './card.entity';
import { CardsController } from './cards.controller';
import { CardsService } from './cards.service';

/** Loyalty cards: numbers, static and rotating codes, QR images, replacement and blocking. */
@Module({
  imports: [TypeOrmModule.forFeature([Card]), AuditModule],
  controllers: [CardsController],
  providers: [CardsService],
  exports: [CardsService],
})
export class CardsModule {}
