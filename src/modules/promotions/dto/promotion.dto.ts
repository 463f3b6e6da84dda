import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
  IsObject,
} from 'class-validator';
import { BasketLineDto } from './basket-line.dto';
import { BilingualTextDto } from './bilingual-text.dto';
import {
  LIMIT_PERIODS,
  LimitPeriod,
  PROMOTION_STATUSES,
  PromotionStatus,
} from '../promotion.entity';
import { ConditionDto, EffectDto } from './rule.dto';

export class MemberLimitDto {
  @ApiProperty({ example: 1, description: 'uses per member per period' })
  @IsInt()
  @Min(1)
  @Max(10_000)
  count: number;

  @ApiProperty({ enum: LIMIT_PERIODS, example: 'day' })
  @IsIn(LIMIT_PERIODS)
  period: LimitPeriod;
}

export class StampCardDto {
  @ApiProperty({ example: 10 })
  @IsInt()
  @Min(1)
  @Max(100)
  stampsRequired: number;

  @ApiProperty({ description: 'reward issued when the card is full' })
  @IsUUID()
  rewardId: string;
}

export class CreatePromotionDto extends BilingualTextDto {
  @ApiPropertyOptional({ description: 'higher first', default: 0 })
  @IsOptional()
  @IsInt()
  @Min(-10_000)
  @Max(10_000)
  priority?: number;

  @ApiPropertyOptional({
    description: 'when it applies, promotions below it do not',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  exclusive?: boolean;

  @ApiPropertyOptional({
    description: 'its points are the base points multipliers multiply',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  base?: boolean;

  @ApiPropertyOptional({ example: '2026-11-27T00:00:00+01:00' })
  @IsOptional()
  @IsISO8601({ strict: true })
  startsAt?: string;

  @ApiPropertyOptional({ example: '2026-11-30T23:59:59+01:00' })
  @IsOptional()
  @IsISO8601({ strict: true })
  endsAt?: string;

  @ApiPropertyOptional({ type: () => ConditionDto, description: 'none: always' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ConditionDto)
  conditions?: ConditionDto;

  @ApiProperty({ type: () => [EffectDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => EffectDto)
  effects: EffectDto[];

  @ApiPropertyOptional({ description: 'cap on the points of this promotion in one purchase' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  maxPointsPerPurchase?: number;

  @ApiPropertyOptional({ description: 'total points this promotion may give' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(2_000_000_000)
  budgetPoints?: number;

  @ApiPropertyOptional({ type: () => MemberLimitDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => MemberLimitDto)
  memberLimit?: MemberLimitDto;

  @ApiPropertyOptional({ type: () => StampCardDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => StampCardDto)
  stampCard?: StampCardDto;
}

export class UpdatePromotionDto extends PartialType(CreatePromotionDto) {}

export class ListPromotionsQuery {
  @ApiPropertyOptional({ enum: PROMOTION_STATUSES })
  @IsOptional()
  @IsIn(PROMOTION_STATUSES)
  status?: PromotionStatus;
}

/** A simulated line: a till basket line, with money already taken off it (e.g. a coupon). */
export class SimulateLineDto extends BasketLineDto {
  @ApiPropertyOptional({ example: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  discountCents?: number;
}

/** Who the simulated member is, when there is no real member to read. */
export class SimulatedMemberDto {
  @ApiPropertyOptional({ example: 'Oro' })
  @IsOptional()
  @IsString()
  @MaxLength(60)
  tier?: string;

  @ApiPropertyOptional({ example: '2026-01-15' })
  @IsOptional()
  @IsISO8601({ strict: true })
  enrolledAt?: string;

  @ApiPropertyOptional({ example: '1990-04-01' })
  @IsOptional()
  @IsISO8601({ strict: true })
  birthDate?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  firstPurchase?: boolean;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  tags?: string[];

  @ApiPropertyOptional({ description: 'personalised conditions need it' })
  @IsOptional()
  @IsBoolean()
  profilingConsent?: boolean;
}

export class SimulateDto {
  @ApiPropertyOptional({ description: 'a real member (read from the database)' })
  @IsOptional()
  @IsUUID()
  memberId?: string;

  @ApiPropertyOptional({ type: () => SimulatedMemberDto, description: 'or member attributes' })
  @IsOptional()
  @ValidateNested()
  @Type(() => SimulatedMemberDto)
  member?: SimulatedMemberDto;

  @ApiProperty()
  @IsUUID()
  storeId: string;

  @ApiPropertyOptional({ example: 'till', default: 'till' })
  @IsOptional()
  @IsString()
  @MaxLength(30)
  channel?: string;

  @ApiPropertyOptional({ example: 'EUR' })
  @IsOptional()
  @IsString()
  @MaxLength(3)
  currency?: string;

  @ApiPropertyOptional({ description: 'when (default now)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  at?: string;

  @ApiPropertyOptional({ description: 'points payment for the basket, in cents' })
  @IsOptional()
  @IsInt()
  @Min(0)
  paidWithPointsCents?: number;

  @ApiPropertyOptional({
    description: 'include draft/paused promotions by id (preview before publishing)',
    type: [String],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  includePromotionIds?: string[];

  @ApiPropertyOptional({
    type: () => CreatePromotionDto,
    description: 'The promotion being edited, as its form stands (not saved), simulated as active',
  })
  @IsOptional()
  @ValidateNested()
  @Type(() => CreatePromotionDto)
  draft?: CreatePromotionDto;

  @ApiPropertyOptional({ description: 'The saved promotion the draft replaces in the simulation' })
  @IsOptional()
  @IsUUID()
  draftOf?: string;

  @ApiProperty({ type: () => [SimulateLineDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => SimulateLineDto)
  lines: SimulateLineDto[];
}
