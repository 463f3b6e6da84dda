import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
  IsObject,
} from 'class-validator';
import { PageQuery } from '../../../common';
import { Outcome, OUTCOMES, TASK_STATUSES, TaskStatus } from '../followup-rules';

export class QueueQuery extends PageQuery {
  @ApiPropertyOptional({ enum: TASK_STATUSES, description: 'default: due and claimed' })
  @IsOptional()
  @IsIn(TASK_STATUSES)
  status?: TaskStatus;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  storeId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  planId?: string;

  @ApiPropertyOptional({ description: "a staff user id, or 'me'" })
  @IsOptional()
  @Matches(/^(me|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i, {
    message: "must be 'me' or a staff user id",
  })
  assignee?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  memberId?: string;
}

export class SatisfactionAnswerDto {
  @ApiProperty({ enum: ['csat', 'nps'] })
  @IsIn(['csat', 'nps'])
  kind: 'csat' | 'nps';

  @ApiProperty({ minimum: 0, maximum: 10 })
  @IsInt()
  @Min(0)
  @Max(10)
  score: number;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class GoodwillDto {
  @ApiProperty({ minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  points: number;

  @ApiProperty({ example: 'late delivery' })
  @IsString()
  @MinLength(3)
  @MaxLength(300)
  reason: string;
}

export class EnrolmentDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  firstName: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  lastName: string;

  @ApiProperty()
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiPropertyOptional({ enum: ['es', 'en'] })
  @IsOptional()
  @IsIn(['es', 'en'])
  locale?: 'es' | 'en';

  @ApiPropertyOptional({ description: 'marketing by email, agreed on the call' })
  @IsOptional()
  @IsBoolean()
  marketingEmail?: boolean;
}

export class OfferDto {
  @ApiPropertyOptional({ description: 'a reward of the catalogue: its coupon is issued' })
  @IsOptional()
  @IsUUID()
  rewardId?: string;

  @ApiPropertyOptional({ description: 'a contact without a card joins the programme' })
  @IsOptional()
  @IsBoolean()
  enrol?: boolean;

  @ApiPropertyOptional({ type: () => EnrolmentDto, description: 'required with enrol' })
  @IsOptional()
  @ValidateNested()
  @Type(() => EnrolmentDto)
  member?: EnrolmentDto;
}

export class AttemptDto {
  @ApiProperty({ enum: OUTCOMES })
  @IsIn(OUTCOMES)
  outcome: Outcome;

  @ApiPropertyOptional({ maxLength: 4000 })
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  notes?: string;

  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(86_400)
  durationSeconds?: number;

  @ApiPropertyOptional({ type: () => SatisfactionAnswerDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SatisfactionAnswerDto)
  satisfaction?: SatisfactionAnswerDto;

  @ApiPropertyOptional({ description: 'ISO-8601 time the customer asked to be called back' })
  @IsOptional()
  @IsISO8601({ strict: true })
  callbackAt?: string;

  @ApiPropertyOptional({ type: () => GoodwillDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => GoodwillDto)
  goodwill?: GoodwillDto;

  @ApiPropertyOptional({ type: () => OfferDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => OfferDto)
  offer?: OfferDto;
}

export class ContactConsentsDto {
  @ApiProperty()
  @IsBoolean()
  followup: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  calls?: boolean;
}

export class ContactDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(160)
  name?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: '+34600111222' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  phone?: string;

  @ApiPropertyOptional({ enum: ['es', 'en'] })
  @IsOptional()
  @IsIn(['es', 'en'])
  locale?: 'es' | 'en';

  @ApiProperty({ description: '{ followup: true, calls?: boolean }' })
  @ValidateNested()
  @Type(() => ContactConsentsDto)
  consents: ContactConsentsDto;
}

export class ContactLineDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  sku: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(80)
  category?: string;

  @ApiProperty()
  @IsInt()
  @Min(1)
  @Max(10_000)
  quantity: number;

  @ApiProperty()
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  unitPriceCents: number;
}

/** A purchase for a customer without a card who leaves a phone or email for follow-up. */
export class ContactPurchaseDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  storeId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  externalId?: string;

  @ApiProperty({ example: 'EUR' })
  @IsIn(['EUR'])
  currency: string;

  @ApiProperty({ type: [ContactLineDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ContactLineDto)
  lines: ContactLineDto[];

  @ApiProperty({ type: () => ContactDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ContactDto)
  contact: ContactDto;
}
