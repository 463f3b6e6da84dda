import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

/** Name and description in Spanish and English: what customers and staff see, in their language. */
export class BilingualTextDto {
  @ApiProperty({ example: 'Doble de puntos en calzado' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  nameEs: string;

  @ApiProperty({ example: 'Double points on shoes' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  nameEn: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  descriptionEs?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  descriptionEn?: string;
}
