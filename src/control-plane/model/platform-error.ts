/**
 * The one error the store throws for a platform rule a request broke (a taken domain, a missing
 * service, a body that fails a check only the store can make). Thrown inside a transaction it
 * rolls the whole change back; the API maps `code` to an HTTP status in api/errors.ts.
 */
import { SwitchyardError } from '../../common/errors.js';
import type { FieldError } from '../../xds/validation.js';

export type PlatformErrorCode =
  | 'SY_ERR_VALIDATION'
  | 'SY_ERR_NOT_FOUND'
  | 'SY_ERR_SERVICE_NOT_FOUND'
  | 'SY_ERR_REVISION_NOT_FOUND'
  | 'SY_ERR_SERVICE_EXISTS'
  | 'SY_ERR_DOMAIN_TAKEN'
  | 'SY_ERR_TENANT_EXISTS';

export class PlatformError extends SwitchyardError {
  override readonly code: PlatformErrorCode;
  /** Field errors for SY_ERR_VALIDATION; empty otherwise. */
  readonly errors: readonly FieldError[];
  constructor(code: PlatformErrorCode, message: string, errors: readonly FieldError[] = []) {
    super(code, message);
    this.code = code;
    this.errors = errors;
  }

  /** A validation failure; the message lists every field error. */
  static validation(errors: readonly FieldError[]): PlatformError {
    return new PlatformError('SY_ERR_VALIDATION', describeFieldErrors(errors), errors);
  }
}

/** "`a.b` must be …; `c` is required": the human summary of a list of field errors. */
export function describeFieldErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => (e.path === '' ? `the request body ${e.message}` : `\`${e.path}\` ${e.message}`)).join('; ');
}
