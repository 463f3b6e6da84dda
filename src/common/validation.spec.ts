import { ValidationError } from 'class-validator';
import { flattenValidationErrors } from './validation';

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
      { field: 'lines.0.quantity', reason: 'quantity must not be less than 1' },
      { field: 'colour', reason: 'unknown field' },
    ]);
  });
});
