/**
 * The platform API's one table of error codes → HTTP status (STYLE.md "Error style"), and the
 * error answer `{ error: { code, message, errors: [{ path, message }] } }` (DESIGN §7).
 * Handlers throw ApiError (or the store's PlatformError); the server turns either into the answer.
 */
import { SwitchyardError } from '../../common/errors.js';
import type { FieldError } from '../../xds/validation.js';
import { PlatformError, describeFieldErrors } from '../model/platform-error.js';

export const ERROR_STATUS = {
  SY_ERR_VALIDATION: 400,
  SY_ERR_INVALID_JSON: 400,
  SY_ERR_UNAUTHORIZED: 401,
  SY_ERR_FORBIDDEN: 403,
  SY_ERR_NOT_FOUND: 404,
  SY_ERR_SERVICE_NOT_FOUND: 404,
  SY_ERR_REVISION_NOT_FOUND: 404,
  SY_ERR_METHOD_NOT_ALLOWED: 405,
  SY_ERR_NOT_ACCEPTABLE: 406,
  SY_ERR_SERVICE_EXISTS: 409,
  SY_ERR_DOMAIN_TAKEN: 409,
  SY_ERR_TENANT_EXISTS: 409,
  SY_ERR_PAYLOAD_TOO_LARGE: 413,
  SY_ERR_UNSUPPORTED_MEDIA_TYPE: 415,
  SY_ERR_INTERNAL: 500,
  SY_ERR_UNAVAILABLE: 503,
} as const satisfies Record<string, number>;

export type ApiErrorCode = keyof typeof ERROR_STATUS;

/** The JSON body of every error answer. */
export interface ErrorBody {
  readonly error: { readonly code: ApiErrorCode; readonly message: string; readonly errors: readonly FieldError[] };
}

export class ApiError extends SwitchyardError {
  override readonly code: ApiErrorCode;
  constructor(
    code: ApiErrorCode,
    message: string,
    readonly errors: readonly FieldError[] = [],
    /** Extra answer headers (Allow on 405, WWW-Authenticate on 401). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(code, message);
    this.code = code;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  static validation(errors: readonly FieldError[]): ApiError {
    return new ApiError('SY_ERR_VALIDATION', describeFieldErrors(errors), errors);
  }
}

/** Any thrown value as an ApiError: ours as they are, the store's by code, anything else a 500. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof PlatformError) return new ApiError(err.code, err.message, err.errors);
  return new ApiError('SY_ERR_INTERNAL', 'internal error (see the control plane log)');
}

export function errorBody(err: ApiError): ErrorBody {
  return { error: { code: err.code, message: err.message, errors: err.errors } };
}
