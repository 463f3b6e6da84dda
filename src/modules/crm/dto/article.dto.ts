import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const SLUG_MESSAGE = 'slug must be lower-case words and digits joined by hyphens';

export class CreateCategoryDto {
  @ApiProperty({ example: 'faq' })
  @IsString()
  @MaxLength(80)
  @Matches(SLUG, { message: SLUG_MESSAGE })
  slug: string;

  @ApiProperty({ example: 'Preguntas frecuentes' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  nameEs: string;

  @ApiProperty({ example: 'FAQ' })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  nameEn: string;
}

/** The text of one version, in Spanish and English. */
export class ArticleTextDto {
  @ApiProperty({ example: 'Horario de las tiendas' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  titleEs: string;

  @ApiProperty({ description: 'plain text; blank lines separate paragraphs' })
  @IsString()
  @MinLength(1)
  @MaxLength(50000)
  bodyEs: string;

  @ApiProperty({ example: 'Store opening hours' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  titleEn: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(50000)
  bodyEn: string;

  @ApiPropertyOptional({ default: true, description: 'publish this version at once' })
  @IsOptional()
  @IsBoolean()
  publish?: boolean;
}

export class CreateArticleDto extends ArticleTextDto {
  @ApiProperty({ example: 'opening-hours' })
  @IsString()
  @MaxLength(80)
  @Matches(SLUG, { message: SLUG_MESSAGE })
  slug: string;

  @ApiProperty()
  @IsUUID()
  categoryId: string;

  @ApiPropertyOptional({ default: false, description: 'shown to anyone at /kb/<slug>' })
  @IsOptional()
  @IsBoolean()
  public?: boolean;
}

export class PublishVersionDto {
  @ApiProperty({ example: 2 })
  @Type(() => Number)
  @IsInt()
  @Min(1)
  version: number;
}

export class SendArticleDto {
  @ApiProperty()
  @IsUUID()
  memberId: string;

  @ApiProperty({ enum: ['email', 'sms'] })
  @IsIn(['email', 'sms'])
  channel: 'email' | 'sms';

  @ApiPropertyOptional({ enum: ['es', 'en'], description: "default: the member's language" })
  @IsOptional()
  @IsIn(['es', 'en'])
  locale?: 'es' | 'en';
}

export class ListArticlesQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  categoryId?: string;
}
