import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';

const toBool = ({ value }: { value: unknown }) =>
  value === '1' || value === 'true' ? true : value === '0' || value === 'false' ? false : value;

export class CardQrQueryDto {
  @ApiPropertyOptional({
    description: 'the current rotating code (FDL2, changes every 30 s) instead of the static one',
    enum: ['0', '1', 'true', 'false'],
  })
  @IsOptional()
  @Transform(toBool)
  @IsBoolean({ message: 'rotating must be 1 or 0' })
  rotating?: boolean;

  @ApiPropertyOptional({ description: 'pixels per module (PNG only)', minimum: 2, maximum: 20 })
  @IsOptional()
  @Transform(({ value }) => (/^\d+$/.test(String(value)) ? Number(value) : value))
  @IsInt()
  @Min(2)
  @Max(20)
  scale?: number;
}
