import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { FOLLOWUP_CHANNELS, FollowupChannel } from '../followup-rules';

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

export class PlanConditionsDto {
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true })
  storeIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'any of these product categories' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(80, { each: true })
  categories?: string[];

  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  minTotalCents?: number;

  @ApiPropertyOptional({ type: [String], description: 'tier codes' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  tiers?: string[];

  @ApiPropertyOptional({ description: "only the customer's first purchase" })
  @IsOptional()
  @IsBoolean()
  firstPurchase?: boolean;
}

export class QuietHoursDto {
  @ApiProperty({ example: '21:00' })
  @Matches(CLOCK, { message: 'must be HH:MM (24 h)' })
  from: string;

  @ApiProperty({ example: '09:00' })
  @Matches(CLOCK, { message: 'must be HH:MM (24 h)' })
  to: string;
}

export class CreatePlanDto {
  @ApiProperty({ example: 'Call after shoes' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name: string;

  @ApiProperty({ enum: FOLLOWUP_CHANNELS })
  @IsIn(FOLLOWUP_CHANNELS)
  channel: FollowupChannel;

  @ApiProperty({
    example: 'P3D',
    description: 'ISO-8601 duration after the purchase; PT0S = at once',
  })
  @IsString()
  @MaxLength(40)
  delay: string;

  @ApiPropertyOptional({ enum: ['csat', 'nps'], nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsIn(['csat', 'nps'])
  surveyKind?: 'csat' | 'nps' | null;

  @ApiPropertyOptional({ type: () => PlanConditionsDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => PlanConditionsDto)
  conditions?: PlanConditionsDto;

  @ApiPropertyOptional({ minimum: 1, maximum: 20, default: 3 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  maxAttempts?: number;

  @ApiPropertyOptional({ example: 'PT4H', default: 'PT4H' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  retryDelay?: string;

  @ApiPropertyOptional({ type: () => QuietHoursDto, nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @ValidateNested()
  @Type(() => QuietHoursDto)
  quietHours?: QuietHoursDto | null;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UpdatePlanDto extends PartialType(CreatePlanDto) {}
