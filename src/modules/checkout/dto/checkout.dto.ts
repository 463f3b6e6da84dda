import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { BasketLineDto } from '../../promotions';

export class ScanDto {
  @ApiProperty({
    description: 'What the till scanned or the cashier typed: card number, FDL1 or FDL2 code',
    example: '4000123412341234',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  code: string;
}

/** Who the purchase is for: a scanned code, or the member id a previous scan returned. */
class MemberRefDto {
  @ApiPropertyOptional({ description: 'Card number or code (or give memberId)' })
  @ValidateIf((o: MemberRefDto) => o.memberId === undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  code?: string;

  @ApiPropertyOptional({ description: 'The member id from a previous scan (or give code)' })
  @IsOptional()
  @IsUUID()
  memberId?: string;

  @ApiPropertyOptional({
    description: 'The store; POS API keys may omit it (their own store)',
  })
  @IsOptional()
  @IsUUID()
  storeId?: string;
}

export class PurchaseLineDto extends BasketLineDto {}

export class PurchaseDto extends MemberRefDto {
  @ApiPropertyOptional({
    example: 'T1-000123',
    description: 'The till ticket number: unique per store',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  externalId?: string;

  @ApiProperty({ example: 'EUR' })
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as EUR' })
  currency: string;

  @ApiPropertyOptional({
    example: 0,
    description: 'Points spent as a discount on this purchase',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  redeemPoints?: number;

  @ApiPropertyOptional({
    type: [String],
    example: ['FDC-7K3M-Q9XA-2B'],
    description:
      "The member's reward coupons used on this purchase: a discount coupon takes money off the " +
      'basket, a free-product coupon one unit of its product; each coupon is used once',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(40, { each: true })
  coupons?: string[];

  @ApiProperty({ type: [PurchaseLineDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => PurchaseLineDto)
  lines: PurchaseLineDto[];
}

export class RedemptionDto extends MemberRefDto {
  @ApiPropertyOptional({ example: 100, description: 'Points for a discount (or give rewardId)' })
  @ValidateIf((o: RedemptionDto) => o.rewardId === undefined)
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  points?: number;

  @ApiPropertyOptional({ description: 'A reward from the catalogue, for a coupon' })
  @IsOptional()
  @IsUUID()
  rewardId?: string;
}

export class ReturnLineDto {
  @ApiPropertyOptional({ example: 1, description: 'The line number on the receipt (or give sku)' })
  @ValidateIf((o: ReturnLineDto) => o.sku === undefined)
  @IsInt()
  @Min(1)
  lineNo?: number;

  @ApiPropertyOptional({ example: 'SKU-1' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  sku?: string;

  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  @Max(10000)
  quantity: number;
}

export class ReturnDto {
  @ApiPropertyOptional({ description: 'Where the goods came back; POS API keys may omit it' })
  @IsOptional()
  @IsUUID()
  storeId?: string;

  @ApiProperty({ type: [ReturnLineDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ReturnLineDto)
  lines: ReturnLineDto[];
}

export class BatchItemDto {
  @ApiProperty({ description: 'The key the till generated when it took the purchase' })
  @IsString()
  idempotencyKey: string;

  @ApiProperty({ type: PurchaseDto })
  @IsObject()
  purchase: Record<string, unknown>;
}

export class BatchDto {
  @ApiProperty({ type: [BatchItemDto], description: 'Queued purchases, oldest first (≤ 100)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  // An item that is an array or a primitive slipped past ValidateNested (a 500, found by the
  // fuzzer, issue 13).
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => BatchItemDto)
  items: BatchItemDto[];
}

/** `POST /api/checkout/returns`: the purchase by the shop's ticket number (and store) or its id. */
export class TicketReturnDto extends ReturnDto {
  @ApiPropertyOptional({ description: 'The purchase id (or give externalId)' })
  @ValidateIf((o: TicketReturnDto) => o.externalId === undefined)
  @IsUUID()
  purchaseId?: string;

  @ApiPropertyOptional({
    example: 'T-1001',
    description: "The shop's ticket number, in storeId's store (a POS key's own store)",
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  externalId?: string;
}

export class RecentPurchasesQuery {
  @ApiPropertyOptional({ example: 5, description: '1 to 20 (default 5)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(20)
  limit?: number;
}
