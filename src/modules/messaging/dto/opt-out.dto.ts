import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class OptOutDto {
  @ApiProperty({ description: 'the token from the opt-out link' })
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  token: string;
}

/** What the SMS provider posts for an inbound message (see docs/messaging.md). */
export class InboundSmsDto {
  @ApiProperty({ example: '+34600111222' })
  @IsString()
  @MinLength(3)
  @MaxLength(32)
  from: string;

  @ApiProperty({ example: 'BAJA' })
  @IsString()
  @MaxLength(1600)
  text: string;

  @ApiPropertyOptional({ description: 'the provider id of the inbound message' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  id?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(32)
  to?: string;
}
