import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit';
import { ApplePassService } from './apple-pass.service';
import { Card } from './card.entity';
import { CardHolders } from './card-holders';
import { CardsController } from './cards.controller';
import { CardsService } from './cards.service';
import { PassRegistration } from './pass-registration.entity';
import { PasskitController } from './passkit.controller';
import { PasskitService } from './passkit.service';

@Module({
  imports: [TypeOrmModule.forFeature([Card, PassRegistration]), AuditModule],
  controllers: [CardsController, PasskitController],
  providers: [CardsService, CardHolders, ApplePassService, PasskitService],
  exports: [CardsService],
})
export class CardsModule {}
