import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { MemberLimitDto } from './promotion.dto';

export class CreateEarningRuleDto {
  @ApiProperty({ example: 'app_review', description: 'the event type integrations post' })
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{1,49}$/, { message: 'lowercase letters, digits and _ (2–50)' })
  code: string;

  @ApiProperty({ example: 'Reseña en la app' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  nameEs: string;

  @ApiProperty({ example: 'App review' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  nameEn: string;

  @ApiProperty({ example: 50 })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  points: number;

  @ApiPropertyOptional({ type: () => MemberLimitDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => MemberLimitDto)
  limit?: MemberLimitDto;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UpdateEarningRuleDto extends PartialType(CreateEarningRuleDto) {}

export class PostEventDto {
  @ApiProperty()
  @IsUUID()
  memberId: string;

  @ApiProperty({ example: 'app_review', description: 'an earning rule code' })
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  type: string;

  @ApiProperty({
    example: 'review-8812',
    description: "the integration's id for this event: the same id counts once",
  })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  eventId: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  storeId?: string;
}

export class ReferralDto {
  @ApiProperty({ description: 'the friend who enrolled' })
  @IsUUID()
  friendMemberId: string;

  @ApiProperty({ example: '7K3MQ9XA', description: "the referrer's code" })
  @IsString()
  @Matches(/^[0-9A-Za-z]{4,20}$/)
  code: string;
}
