import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  Equals,
  IsBoolean,
  IsDateString,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateNested,
  IsDefined,
} from 'class-validator';
import { IsPhone } from '../phone';
import { PurposeConsentsDto } from './consents.dto';

/** Consents at enrolment: `terms` must be accepted; any other key is refused as unknown. */
export class ConsentsDto extends PurposeConsentsDto {
  @ApiProperty({ description: 'programme terms and privacy notice: required' })
  @IsDefined()
  @IsBoolean()
  @Equals(true, { message: 'terms must be accepted' })
  terms: boolean;
}

export class EnrolMemberDto {
  @ApiProperty({ example: 'Ana' })
  @IsString()
  @MinLength(1)
  @MaxLength(80)
  firstName: string;

  @ApiProperty({ example: 'García' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  lastName: string;

  @ApiProperty({ example: 'ana@example.com' })
  @IsEmail({}, { message: 'must be a valid email address' })
  @MaxLength(254)
  email: string;

  @ApiPropertyOptional({ example: '+34600111222' })
  @IsOptional()
  @IsPhone()
  phone?: string;

  @ApiPropertyOptional({ enum: ['es', 'en'], default: 'es' })
  @IsOptional()
  @IsIn(['es', 'en'])
  locale?: 'es' | 'en';

  @ApiPropertyOptional({ example: '1990-04-01' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'must be a date as YYYY-MM-DD' })
  birthDate?: string;

  @ApiPropertyOptional({ description: 'required when the member is under the minimum age' })
  @IsOptional()
  @IsString()
  @MinLength(2)
  @MaxLength(160)
  guardianName?: string;

  @ApiPropertyOptional({ description: 'store where the member enrols (till enrolment)' })
  @IsOptional()
  @IsUUID()
  storeId?: string;

  @ApiPropertyOptional({ enum: ['till', 'web', 'phone'] })
  @IsOptional()
  @IsIn(['till', 'web', 'phone'])
  channel?: 'till' | 'web' | 'phone';

  @ApiPropertyOptional({
    description: "a friend's refer-a-friend code: rewards both as the referral rules say",
    example: '7K3MQ9XA',
  })
  @IsOptional()
  @IsString()
  @MinLength(4)
  @MaxLength(20)
  referralCode?: string;

  @ApiProperty({ type: ConsentsDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => ConsentsDto)
  consents: ConsentsDto;
}

/** Self-service enrolment: the channel is always `web`. */
export class PublicEnrolDto extends OmitType(EnrolMemberDto, ['channel'] as const) {}
