import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
export const DEPARTMENT_CODE = /^[a-z0-9][a-z0-9_-]{0,39}$/;

export class CreateDepartmentDto {
  @ApiProperty({ example: 'after_sales' })
  @Matches(DEPARTMENT_CODE, { message: 'code must be a short lowercase code' })
  code: string;

  @ApiProperty() @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(80) nameEs: string;
  @ApiProperty() @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(80) nameEn: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
}

export class UpdateDepartmentDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(80)
  nameEs?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(80)
  nameEn?: string;

  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
}

export class ListDepartmentsQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'include inactive ones' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'all must be true or false' })
  all?: 'true' | 'false';
}

export class StaffDepartmentDto {
  @ApiProperty({ nullable: true, description: 'a department code, or null for none' })
  @ValidateIf((_, v) => v !== null)
  @Matches(DEPARTMENT_CODE, { message: 'department must be a short lowercase code or null' })
  department: string | null;
}
