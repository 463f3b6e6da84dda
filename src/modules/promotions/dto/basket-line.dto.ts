import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/**
 * One line of a basket, as the till sends it and the simulator takes it: one definition, so a
 * basket marketing can simulate is a basket the till accepts.
 */
export class BasketLineDto {
  @ApiProperty({ example: 'SKU-1' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  sku: string;

  @ApiPropertyOptional({ example: 'shoes' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  category?: string;

  @ApiProperty({ example: 1, minimum: 1, maximum: 10000 })
  @IsInt()
  @Min(1)
  @Max(10000)
  quantity: number;

  @ApiProperty({ example: 5999, description: 'Unit price in cents (minor units)' })
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  unitPriceCents: number;
}
