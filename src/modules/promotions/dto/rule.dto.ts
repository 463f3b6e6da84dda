import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  Validate,
  ValidateIf,
  ValidateNested,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import {
  compileCondition,
  CONDITION_SPECS,
  CONDITION_TYPES,
  ConditionType,
  EFFECT_TYPES,
  EffectType,
  Operator,
  OPERATORS,
  RuleCompileError,
} from '../engine';

/** Which lines a condition or effect looks at. */
export class LineTargetDto {
  @ApiPropertyOptional({ type: [String], example: ['SKU-1'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  skus?: string[];

  @ApiPropertyOptional({ type: [String], example: ['shoes'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  categories?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  excludeSkus?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  excludeCategories?: string[];
}

const isLeaf = (o: ConditionDto) => o.all === undefined && o.any === undefined;

const KIND_TEXT = {
  number: 'an integer',
  string: 'a non-empty string',
  date: 'a date YYYY-MM-DD',
  time: 'a time HH:MM',
  boolean: 'true or false',
} as const;

/** What `value` must be for this type and operator, in words. */
export function expectedValue(type: ConditionType, op: Operator): string {
  const spec = CONDITION_SPECS[type];
  const one = KIND_TEXT[spec.kind] + (spec.min === 1 && spec.max === 7 ? ' from 1 to 7' : '');
  if (op === 'in' || op === 'nin') return `a non-empty list of ${one.replace(/^an? /, '')}s`;
  if (op === 'between') return `[from, to] of ${one.replace(/^an? /, '')}s`;
  return one;
}

@ValidatorConstraint({ name: 'operatorForType' })
class OperatorForType implements ValidatorConstraintInterface {
  validate(op: unknown, args: ValidationArguments) {
    const spec = CONDITION_SPECS[(args.object as ConditionDto).type as ConditionType];
    return !spec || spec.ops.includes(op as Operator);
  }
  defaultMessage(args: ValidationArguments) {
    const type = (args.object as ConditionDto).type as ConditionType;
    if (!OPERATORS.includes(args.value as Operator))
      return `unknown operator; use one of ${CONDITION_SPECS[type].ops.join(', ')}`;
    return `operator not allowed for ${type}; use one of ${CONDITION_SPECS[type].ops.join(', ')}`;
  }
}

/** The value must have the type the condition compares (numbers as numbers, dates as dates…). */
@ValidatorConstraint({ name: 'valueForType' })
class ValueForType implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments) {
    const o = args.object as ConditionDto;
    const spec = CONDITION_SPECS[o.type as ConditionType];
    if (!spec || !spec.ops.includes(o.op as Operator)) return true; // reported on type/op
    try {
      compileCondition(
        { type: o.type as ConditionType, op: o.op as Operator, value: value as never },
        'c',
      );
      return true;
    } catch (err) {
      if (err instanceof RuleCompileError) return false;
      throw err;
    }
  }
  defaultMessage(args: ValidationArguments) {
    const o = args.object as ConditionDto;
    return `must be ${expectedValue(o.type as ConditionType, o.op as Operator)} for ${o.type} ${o.op}`;
  }
}

@ValidatorConstraint({ name: 'oneShape' })
class OneShape implements ValidatorConstraintInterface {
  validate(_: unknown, args: ValidationArguments) {
    const o = args.object as ConditionDto;
    const shapes = [o.all !== undefined, o.any !== undefined, o.type !== undefined];
    return shapes.filter(Boolean).length === 1;
  }
  defaultMessage() {
    return 'a condition is either { all: [...] }, { any: [...] } or { type, op, value }';
  }
}

@ValidatorConstraint({ name: 'targetAllowed' })
class TargetAllowed implements ValidatorConstraintInterface {
  validate(_: unknown, args: ValidationArguments) {
    return !!CONDITION_SPECS[(args.object as ConditionDto).type as ConditionType]?.targeted;
  }
  defaultMessage(args: ValidationArguments) {
    return `not allowed for ${(args.object as ConditionDto).type}; only basket_total and line_quantity take a target`;
  }
}

/** A condition: a group (`all` / `any` of conditions) or a typed comparison. */
export class ConditionDto {
  @ApiPropertyOptional({ type: () => [ConditionDto], description: 'every one must hold' })
  @IsOptional()
  @Validate(OneShape)
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(50)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ConditionDto)
  all?: ConditionDto[];

  @ApiPropertyOptional({ type: () => [ConditionDto], description: 'at least one must hold' })
  @IsOptional()
  @Validate(OneShape)
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(50)
  @IsObject({ each: true })
  @ValidateNested({ each: true })
  @Type(() => ConditionDto)
  any?: ConditionDto[];

  @ApiPropertyOptional({ enum: CONDITION_TYPES })
  @ValidateIf(isLeaf)
  @IsIn(CONDITION_TYPES)
  type?: ConditionType;

  @ApiPropertyOptional({ enum: OPERATORS })
  @ValidateIf(isLeaf)
  @IsIn(OPERATORS)
  @Validate(OperatorForType)
  op?: Operator;

  @ApiPropertyOptional({
    description:
      'number, string, date YYYY-MM-DD, time HH:MM, boolean, a list of them (in/nin) or [from, to] (between)',
    example: 5000,
  })
  @ValidateIf(isLeaf)
  @Validate(ValueForType)
  value?: unknown;

  @ApiPropertyOptional({ type: () => LineTargetDto })
  @IsOptional()
  @Validate(TargetAllowed)
  @ValidateNested()
  @Type(() => LineTargetDto)
  target?: LineTargetDto;
}

/** Fields each effect type takes; any other field is refused. */
const EFFECT_FIELDS: Record<EffectType, string[]> = {
  points_per_unit: ['points', 'perCents', 'target'],
  multiplier: ['factorPercent'],
  fixed_bonus: ['points', 'target'],
  bonus_per_unit: ['points', 'target'],
  percent_of_value: ['percent', 'target'],
  issue_reward: ['rewardId'],
  stamps: ['stamps', 'perUnit', 'target'],
};
const ALL_EFFECT_FIELDS = [
  'points',
  'perCents',
  'target',
  'factorPercent',
  'percent',
  'rewardId',
  'stamps',
  'perUnit',
];

@ValidatorConstraint({ name: 'fieldsForEffect' })
class FieldsForEffect implements ValidatorConstraintInterface {
  private extra(o: EffectDto): string[] {
    const allowed = EFFECT_FIELDS[o.type];
    if (!allowed) return [];
    return ALL_EFFECT_FIELDS.filter(
      (f) => !allowed.includes(f) && (o as unknown as Record<string, unknown>)[f] !== undefined,
    );
  }
  validate(_: unknown, args: ValidationArguments) {
    return this.extra(args.object as EffectDto).length === 0;
  }
  defaultMessage(args: ValidationArguments) {
    const o = args.object as EffectDto;
    return `${this.extra(o).join(', ')} not used by ${o.type} (it takes ${EFFECT_FIELDS[o.type].join(', ')})`;
  }
}

const takes = (field: string) => (o: EffectDto) => EFFECT_FIELDS[o.type]?.includes(field) ?? false;
const needs = (field: string) => (o: EffectDto) =>
  (EFFECT_FIELDS[o.type]?.includes(field) ?? false) &&
  !(field === 'target' && o.type !== 'bonus_per_unit');

export class EffectDto {
  @ApiProperty({ enum: EFFECT_TYPES })
  @IsIn(EFFECT_TYPES)
  @Validate(FieldsForEffect)
  type: EffectType;

  @ApiPropertyOptional({
    description: 'points (points_per_unit, fixed_bonus, bonus_per_unit)',
    example: 1,
  })
  @ValidateIf(takes('points'))
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  points?: number;

  @ApiPropertyOptional({
    description: 'points_per_unit: per how many cents (100 = per euro)',
    example: 100,
  })
  @ValidateIf(takes('perCents'))
  @IsInt()
  @Min(1)
  @Max(10_000_000)
  perCents?: number;

  @ApiPropertyOptional({
    description: 'multiplier on base points, in percent (200 = double)',
    example: 200,
  })
  @ValidateIf(takes('factorPercent'))
  @IsInt()
  @Min(101)
  @Max(1000)
  factorPercent?: number;

  @ApiPropertyOptional({ description: 'percent_of_value: % of the eligible value', example: 5 })
  @ValidateIf(takes('percent'))
  @IsInt()
  @Min(1)
  @Max(100)
  percent?: number;

  @ApiPropertyOptional({ description: 'issue_reward: the reward to issue a coupon for' })
  @ValidateIf(takes('rewardId'))
  @IsUUID()
  rewardId?: string;

  @ApiPropertyOptional({ description: 'stamps: how many stamps', example: 1 })
  @ValidateIf(takes('stamps'))
  @IsInt()
  @Min(1)
  @Max(100)
  stamps?: number;

  @ApiPropertyOptional({ description: 'stamps: per unit bought instead of per purchase' })
  @IsOptional()
  @IsBoolean()
  perUnit?: boolean;

  @ApiPropertyOptional({ type: () => LineTargetDto })
  @ValidateIf((o: EffectDto) => needs('target')(o) || o.target !== undefined)
  @IsObject({
    message: (a: ValidationArguments) =>
      `${(a.object as EffectDto).type} needs a target object { skus?, categories? }`,
  })
  @ValidateNested()
  @Type(() => LineTargetDto)
  target?: LineTargetDto;
}
