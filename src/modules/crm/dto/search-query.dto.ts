import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

export class SearchQueryDto {
  @ApiProperty({
    example: 'garcía',
    description: 'name, email, phone, card or registry number, words',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  q: string;

  @ApiPropertyOptional({ example: 'member,article', description: 'comma-separated kinds' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z_]+(,[a-z_]+)*$/, { message: 'kinds must be comma-separated kind names' })
  kinds?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 50, default: 10, description: 'per kind' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  limit?: number;
}
