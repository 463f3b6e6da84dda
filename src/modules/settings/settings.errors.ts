import { DomainError } from '../../common';

export enum SettingsErrorCode {
  CategoryNotFound = 'settings.category_not_found',
  CategoryCodeTaken = 'settings.category_code_taken',
}

export class SettingsError extends DomainError {}

export const categoryNotFound = () =>
  new SettingsError('not_found', SettingsErrorCode.CategoryNotFound, 'category not found', [
    { field: 'id', reason: 'no such category' },
  ]);

export const categoryCodeTaken = () =>
  new SettingsError(
    'conflict',
    SettingsErrorCode.CategoryCodeTaken,
    'a category with this code exists',
    [{ field: 'code', reason: 'already used' }],
  );
