import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  IsBoolean,
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
  ValidateIf,
} from 'class-validator';
import { BilingualTextDto } from './bilingual-text.dto';
import { REWARD_KINDS, RewardKind } from '../reward.entity';

export class CreateRewardDto extends BilingualTextDto {
  @ApiProperty({ enum: REWARD_KINDS })
  @IsIn(REWARD_KINDS)
  kind: RewardKind;

  @ApiProperty({ example: 500 })
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  costPoints: number;

  @ApiPropertyOptional({ example: 500, description: 'discount: amount off in cents' })
  @ValidateIf((o: CreateRewardDto) => o.kind === 'discount' || o.discountCents !== undefined)
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  discountCents?: number;

  @ApiPropertyOptional({ example: 'COFFEE-1', description: 'free_product: the product' })
  @ValidateIf((o: CreateRewardDto) => o.kind === 'free_product' || o.sku !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  sku?: string;

  @ApiPropertyOptional({ example: 100, description: 'units left; none: unlimited' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  stock?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true })
  validFrom?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsISO8601({ strict: true })
  validUntil?: string;

  @ApiPropertyOptional({ example: 30 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  couponValidDays?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UpdateRewardDto extends PartialType(CreateRewardDto) {}

export class RedeemRewardDto {
  @ApiProperty()
  @IsUUID()
  memberId: string;
}

export class UseCouponDto {
  @ApiProperty({ example: 'RWD-7K3M-Q9XA' })
  @IsString()
  @Matches(/^[A-Z0-9-]{4,40}$/i)
  code: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  storeId?: string;

  @ApiPropertyOptional({ description: 'the purchase or ticket it was used on' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  reference?: string;
}
