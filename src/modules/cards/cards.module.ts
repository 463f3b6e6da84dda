import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit';
import { Card } from './card.entity';
import { CardHolders } from './card-holders';
import { CardsController } from './cards.controller';
import { CardsService } from './cards.service';

@Module({
  imports: [TypeOrmModule.forFeature([Card]), AuditModule],
  controllers: [CardsController],
  providers: [CardsService, CardHolders],
  exports: [CardsService],
})
export class CardsModule {}
