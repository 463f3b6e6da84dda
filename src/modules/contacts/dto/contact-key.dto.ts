import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, MaxLength } from 'class-validator';

/** A contact (no member) by the email or the phone they left; one of them is required. */
export class ContactKeyDto {
  @ApiPropertyOptional({ example: 'ana@example.com' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: '+34600111222', description: 'without a country code: Spain' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  phone?: string;
}
