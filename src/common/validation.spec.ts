import { IsIn, IsInt, IsString, Max, MaxLength, Min, ValidationError } from 'class-validator';
import { CommonError } from './errors';
import { flattenValidationErrors, validateBody } from './validation';

class Sample {
  @IsString()
  @MaxLength(80)
  name!: string;

  @IsInt()
  @Min(1)
  @Max(1000)
  value!: number;

  @IsIn(['a', 'b'])
  kind!: string;
}

/** The details validateBody gives for a body. */
async function detailsOf(body: unknown) {
  try {
    await validateBody(Sample, body);
  } catch (e) {
    return (e as CommonError).details;
  }
  return [];
}

describe('validation details carry the rule and its arguments', () => {
  it.each([
    [{ name: 'x'.repeat(81), value: 5, kind: 'a' }, 'name', 'maxLength', { max: 80 }],
    [{ name: 'Ana', value: 0, kind: 'a' }, 'value', 'min', { min: 1 }],
    [{ name: 'Ana', value: 1001, kind: 'a' }, 'value', 'max', { max: 1000 }],
    [{ name: 'Ana', value: 1.5, kind: 'a' }, 'value', 'isInt', undefined],
    [{ name: 'Ana', value: 5, kind: 'c' }, 'kind', 'isIn', { values: 'a, b' }],
    // Absent: "missing", not the first rule its absence broke.
    [{ value: 5, kind: 'a' }, 'name', 'isDefined', undefined],
  ])('%j → %s %s %j', async (body, field, constraint, args) => {
    const [detail] = (await detailsOf(body)) ?? [];
    expect(detail).toEqual({
      field,
      reason: expect.any(String),
      constraint,
      ...(args ? { args } : {}),
    });
  });
});

describe('flattenValidationErrors', () => {
  it('names nested fields with dotted paths and unknown fields plainly', () => {
    const child = Object.assign(new ValidationError(), {
      property: 'quantity',
      constraints: { min: 'quantity must not be less than 1' },
    });
    const line = Object.assign(new ValidationError(), { property: '0', children: [child] });
    const lines = Object.assign(new ValidationError(), { property: 'lines', children: [line] });
    const extra = Object.assign(new ValidationError(), {
      property: 'colour',
      constraints: { whitelistValidation: 'property colour should not exist' },
    });
    expect(flattenValidationErrors([lines, extra])).toEqual([
      { field: 'lines.0.quantity', reason: 'quantity must not be less than 1', constraint: 'min' },
      { field: 'colour', reason: 'unknown field', constraint: 'unknown' },
    ]);
  });
});
