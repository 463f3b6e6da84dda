import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQuery } from '../../../common';
import {
  CASE_CHANNELS,
  CASE_EVENT_TYPES,
  CASE_KINDS,
  CASE_STATUSES,
  CaseChannel,
  CaseEventType,
  CaseKind,
  CaseStatus,
} from '../case-rules';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const PHONE = /^\+?[0-9 ()-]{6,20}$/;
const CATEGORY = /^[a-z0-9][a-z0-9_-]{0,39}$/;

export class ContactDto {
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(200) name?: string;
  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsEmail() @MaxLength(254) email?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @Matches(PHONE, { message: 'phone must be a phone number' })
  phone?: string;
}

export class CreateCaseDto {
  @ApiProperty({ enum: CASE_KINDS })
  @IsIn(CASE_KINDS, { message: `kind must be one of ${CASE_KINDS.join(', ')}` })
  kind: CaseKind;

  @ApiProperty({ enum: CASE_CHANNELS })
  @IsIn(CASE_CHANNELS, { message: `channel must be one of ${CASE_CHANNELS.join(', ')}` })
  channel: CaseChannel;

  @ApiPropertyOptional() @IsOptional() @IsUUID() memberId?: string;

  @ApiPropertyOptional({ type: ContactDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ContactDto)
  contact?: ContactDto;

  @ApiPropertyOptional() @IsOptional() @IsUUID() storeId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() purchaseId?: string;

  @ApiPropertyOptional({ example: 'product' })
  @IsOptional()
  @Matches(CATEGORY, { message: 'category must be a short lowercase code' })
  category?: string;

  @ApiPropertyOptional({ example: 'customer_care' })
  @IsOptional()
  @Matches(CATEGORY, { message: 'department must be a short lowercase code' })
  department?: string;

  @ApiProperty() @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(200) subject: string;
  @ApiProperty() @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(10000) description: string;

  @ApiPropertyOptional({ enum: ['es', 'en'] }) @IsOptional() @IsIn(['es', 'en']) locale?:
    'es' | 'en';
}

export class PublicComplaintDto {
  @ApiProperty() @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(200) name: string;
  @ApiProperty() @Transform(trim) @IsEmail() @MaxLength(254) email: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @Matches(PHONE, { message: 'phone must be a phone number' })
  phone?: string;
  @ApiPropertyOptional({ enum: ['es', 'en'] }) @IsOptional() @IsIn(['es', 'en']) locale?:
    'es' | 'en';
  @ApiPropertyOptional() @IsOptional() @IsUUID() storeId?: string;
  @ApiPropertyOptional({ example: 'product' })
  @IsOptional()
  @Matches(CATEGORY, { message: 'category must be a short lowercase code' })
  category?: string;
  @ApiProperty() @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(200) subject: string;
  @ApiProperty() @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(10000) description: string;
}

/** A signed-in member's complaint: name and email come from the account. */
export class MemberComplaintDto {
  @ApiPropertyOptional() @IsOptional() @IsUUID() storeId?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(CATEGORY, { message: 'category must be a short lowercase code' })
  category?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() purchaseId?: string;
  @ApiPropertyOptional({ enum: ['es', 'en'] }) @IsOptional() @IsIn(['es', 'en']) locale?:
    'es' | 'en';
  @ApiProperty() @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(200) subject: string;
  @ApiProperty() @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(10000) description: string;
}

export class ListCasesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: CASE_STATUSES })
  @IsOptional()
  @IsIn(CASE_STATUSES, { message: `status must be one of ${CASE_STATUSES.join(', ')}` })
  status?: CaseStatus;

  @ApiPropertyOptional({ enum: CASE_KINDS })
  @IsOptional()
  @IsIn(CASE_KINDS, { message: `kind must be one of ${CASE_KINDS.join(', ')}` })
  kind?: CaseKind;

  @ApiPropertyOptional({ enum: ['overdue', 'soon'] })
  @IsOptional()
  @IsIn(['overdue', 'soon'], { message: 'due must be overdue or soon' })
  due?: 'overdue' | 'soon';

  @ApiPropertyOptional({ description: 'due=soon: due within this many hours (default 48)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24 * 90)
  withinHours?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(CATEGORY, { message: 'department must be a short lowercase code' })
  department?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() memberId?: string;

  @ApiPropertyOptional({ example: '2026-03-01', description: 'created on or after, local date' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'from must be a date YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ example: '2026-03-31', description: 'created on or before, local date' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'to must be a date YYYY-MM-DD' })
  to?: string;
}

export class DeskQuery {
  @ApiPropertyOptional({ description: 'a department code, or mine (the caller’s own)' })
  @IsOptional()
  @Matches(CATEGORY, { message: 'department must be a short lowercase code' })
  department?: string;
}

export class CaseFiguresQuery {
  @ApiProperty({ example: '2026-03-01', description: 'local date of each case’s store' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'from must be a date YYYY-MM-DD' })
  from: string;

  @ApiProperty({ example: '2026-03-31' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'to must be a date YYYY-MM-DD' })
  to: string;

  @ApiPropertyOptional() @IsOptional() @IsUUID() storeId?: string;
}

export class BreachesQuery {
  @ApiProperty({ example: '2026-04-01', description: 'local date of each case’s store' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'from must be a date YYYY-MM-DD' })
  from: string;

  @ApiProperty({ example: '2026-04-30' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'to must be a date YYYY-MM-DD' })
  to: string;
}

export class CaseEventDto {
  @ApiProperty({ enum: CASE_EVENT_TYPES })
  @IsIn(CASE_EVENT_TYPES, { message: `type must be one of ${CASE_EVENT_TYPES.join(', ')}` })
  type: CaseEventType;

  @ApiPropertyOptional() @IsOptional() @Transform(trim) @IsString() @MaxLength(10000) text?: string;

  @ApiPropertyOptional({ description: 'assign: the staff user (default: the caller)' })
  @IsOptional()
  @IsUUID()
  assigneeId?: string;
}

export class ResolveCaseDto {
  @ApiProperty() @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(10000) resolution: string;
  @ApiPropertyOptional({ description: 'sent to the customer by email and kept on the history' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(10000)
  reply?: string;
}

export class CloseCaseDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() customerConfirmed?: boolean;
}

export class ConfirmCaseDto {
  @ApiProperty() @IsBoolean() confirmed: boolean;
}
