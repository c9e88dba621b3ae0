/** An error the emulated service answers with; the HTTP status comes from the model unless given. */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = code;
  }
}

/** A request for an operation the emulator does not serve (unknown target, route or unimplemented operation). */
export class UnknownOperationError extends ServiceError {
  constructor(
    readonly operation: string,
    message = `Operation ${operation} is not supported by this emulator.`,
  ) {
    super('UnknownOperationException', message, 400);
  }
}

/** A request body that is not the JSON the protocol expects. */
export class SerializationError extends ServiceError {
  constructor(
    readonly operation: string,
    code: string,
    message: string,
  ) {
    super(code, message, 400);
  }
}

/** The Smithy model file is missing something the emulator relies on: a bug, not a client error. */
export class ModelError extends Error {
  override readonly name = 'ModelError';
}

/** An inject() call with an impossible fault rule. */
export class FaultConfigError extends Error {
  override readonly name = 'FaultConfigError';
}
