import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from '../../../common';
import { OUTBOX_STATUSES, OutboxStatus } from '../outbox-message.entity';

export class ListMessagesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: OUTBOX_STATUSES })
  @IsOptional()
  @IsIn(OUTBOX_STATUSES)
  status?: OutboxStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  memberId?: string;
}
