import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsDateString,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { IsPhone } from '../phone';

/** A partial update of a member's profile; `null` clears an optional field. */
export class UpdateMemberDto {
  @ApiPropertyOptional({ example: 'Ana' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  firstName?: string;

  @ApiPropertyOptional({ example: 'García' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  lastName?: string;

  @ApiPropertyOptional({ example: 'ana@example.com' })
  @IsOptional()
  @IsEmail({}, { message: 'must be a valid email address' })
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: '+34600111222', nullable: true })
  @ValidateIf((o: UpdateMemberDto) => o.phone !== null && o.phone !== undefined)
  @IsPhone()
  phone?: string | null;

  @ApiPropertyOptional({ enum: ['es', 'en'] })
  @IsOptional()
  @IsIn(['es', 'en'])
  locale?: 'es' | 'en';

  @ApiPropertyOptional({ example: '1990-04-01', nullable: true })
  @ValidateIf((o: UpdateMemberDto) => o.birthDate !== null && o.birthDate !== undefined)
  @IsDateString({ strict: true }, { message: 'must be a date as YYYY-MM-DD' })
  birthDate?: string | null;

  @ApiPropertyOptional({ nullable: true })
  @ValidateIf((o: UpdateMemberDto) => o.guardianName !== null && o.guardianName !== undefined)
  @IsString()
  @MinLength(2)
  @MaxLength(160)
  guardianName?: string | null;
}

/** What a member may change about themselves (`PATCH /api/me`). */
export class UpdateOwnProfileDto extends UpdateMemberDto {}
