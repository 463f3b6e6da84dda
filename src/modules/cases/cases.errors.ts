import { DomainError, ErrorDetail } from '../../common';

export enum CasesErrorCode {
  NotFound = 'cases.not_found',
  Invalid = 'cases.invalid',
  Transition = 'cases.invalid_transition',
  RateLimited = 'cases.rate_limited',
  DocumentNotFound = 'cases.document_not_found',
  DocumentTooLarge = 'cases.document_too_large',
  DocumentType = 'cases.document_type',
  HolidayNotFound = 'cases.holiday_not_found',
  HolidayExists = 'cases.holiday_exists',
  DepartmentNotFound = 'cases.department_not_found',
  DepartmentExists = 'cases.department_exists',
  DepartmentInUse = 'cases.department_in_use',
  StoreNotAllowed = 'cases.store_not_allowed',
}

export class CasesError extends DomainError {}

export const caseNotFound = () =>
  new CasesError('not_found', CasesErrorCode.NotFound, 'case not found');

export const invalidCase = (field: string, reason: string) =>
  new CasesError('invalid', CasesErrorCode.Invalid, `${field}: ${reason}`, [{ field, reason }]);

export const refusedTransition = (action: string, reason: string) =>
  new CasesError('invalid', CasesErrorCode.Transition, reason, [
    { field: action === 'close' ? 'status' : 'type', reason },
  ] satisfies ErrorDetail[]);

export const documentNotFound = () =>
  new CasesError('not_found', CasesErrorCode.DocumentNotFound, 'document not found');

export const documentTooLarge = (limit: number) =>
  new CasesError('too_large', CasesErrorCode.DocumentTooLarge, `file: larger than ${limit} bytes`, [
    { field: 'file', reason: `at most ${limit} bytes` },
  ]);

export const documentType = () =>
  new CasesError(
    'unsupported_media',
    CasesErrorCode.DocumentType,
    'file: only PDF, JPEG, PNG, WebP, HEIC or TIFF files are accepted (checked on the content)',
    [{ field: 'file', reason: 'refused type' }],
  );

export const tooManyComplaints = () =>
  new CasesError(
    'rate_limited',
    CasesErrorCode.RateLimited,
    'too many complaints from this address or email: try again later',
  );

export const departmentNotFound = () =>
  new CasesError('not_found', CasesErrorCode.DepartmentNotFound, 'department not found');

export const departmentExists = () =>
  new CasesError('conflict', CasesErrorCode.DepartmentExists, 'code: a department has this code', [
    { field: 'code', reason: 'already used' },
  ]);

export const departmentInUse = (uses: { cases: number; staff: number }) =>
  new CasesError(
    'conflict',
    CasesErrorCode.DepartmentInUse,
    `department in use by ${uses.cases} case(s) and ${uses.staff} staff user(s): deactivate it instead`,
  );
