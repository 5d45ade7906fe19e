/**
 * Base of the errors we throw for misuse of our own APIs (bad constructor arguments, wrong
 * lifecycle). Config problems are never thrown: they are returned as ValidationResult.
 */
export class SwitchyardError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

export class InvalidArgumentError extends SwitchyardError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SY_ERR_INVALID_ARGUMENT', message, options);
  }
}

export class InvalidStateError extends SwitchyardError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SY_ERR_INVALID_STATE', message, options);
  }
}
