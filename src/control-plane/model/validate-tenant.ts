/** Validates POST /v1/tenants: a tenant is a name (a DNS label of at most 40 characters). */
import { fail, ok, type FieldError, type ValidationResult } from '../../xds/validation.js';
import { CREATE_TENANT_SCHEMA } from './schemas.js';
import { validateSchema } from './validate-schema.js';

export function validateCreateTenant(input: unknown): ValidationResult<{ readonly name: string }> {
  const errors: FieldError[] = [];
  validateSchema(CREATE_TENANT_SCHEMA, input, '', errors);
  return errors.length > 0 ? fail(errors) : ok({ name: (input as { name: string }).name });
}
