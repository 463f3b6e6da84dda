import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsIn, IsOptional, ValidateNested } from 'class-validator';

/** The purposes besides `terms`, each optional: what enrolment and consent changes share. */
export class PurposeConsentsDto {
  @ApiPropertyOptional({ description: 'post-sale contact and satisfaction surveys' })
  @IsOptional()
  @IsBoolean()
  followup?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  marketing_email?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  marketing_sms?: boolean;

  @ApiPropertyOptional({ description: 'phone calls' })
  @IsOptional()
  @IsBoolean()
  calls?: boolean;

  @ApiPropertyOptional({ description: 'personalised offers from purchase history' })
  @IsOptional()
  @IsBoolean()
  profiling?: boolean;
}

/** Purposes to change; each given flag appends a history row if it differs from the current one. */
export class ConsentChangesDto extends PurposeConsentsDto {
  @ApiPropertyOptional({ description: 'programme terms: cannot be withdrawn (erasure instead)' })
  @IsOptional()
  @IsBoolean()
  terms?: boolean;
}

export const CONSENT_CHANNELS = ['till', 'web', 'phone', 'email', 'sms', 'paper'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];

export class ChangeConsentsDto {
  @ApiProperty({ type: ConsentChangesDto, example: { marketing_email: false } })
  @IsDefined()
  @ValidateNested()
  @Type(() => ConsentChangesDto)
  consents: ConsentChangesDto;

  @ApiPropertyOptional({
    enum: CONSENT_CHANNELS,
    description: 'where the member said so (staff only; a member’s own change is `web`)',
  })
  @IsOptional()
  @IsIn(CONSENT_CHANNELS)
  channel?: ConsentChannel;
}

/** A member's own consent change: always through the web. */
export class ChangeOwnConsentsDto {
  @ApiProperty({ type: ConsentChangesDto, example: { marketing_email: false } })
  @IsDefined()
  @ValidateNested()
  @Type(() => ConsentChangesDto)
  consents: ConsentChangesDto;
}
