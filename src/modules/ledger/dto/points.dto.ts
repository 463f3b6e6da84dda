import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsString, Max, MaxLength, Min, NotEquals } from 'class-validator';

export class AdjustPointsDto {
  @ApiProperty({
    example: 100,
    description: 'Signed points: positive credits a new lot, negative takes points back',
  })
  @IsInt()
  @NotEquals(0)
  @Min(-1_000_000)
  @Max(1_000_000)
  points: number;

  @ApiProperty({ example: 'goodwill after complaint REC-2026-000012', maxLength: 500 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason: string;
}
