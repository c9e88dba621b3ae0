import type { IncomingHttpHeaders } from 'node:http';
import { AwsJsonProtocol } from './aws-json';
import { ServiceError, UnknownOperationError } from './errors';
import { eventBridgeService } from './event-bridge';
import { loadModel, type ServiceName } from './model';
import type { DecodedCall, WireAnswer, WireProtocol } from './protocol';
import { RestJsonProtocol } from './rest-json';
import { schemasService } from './schemas';
import type { OperationContext, ServiceDefinition } from './service';
import { describeViolations, validateInput } from './validate';

export interface ServiceBinding {
  definition: ServiceDefinition;
  protocol: WireProtocol;
}

/** An HTTP answer plus the error code it carries, for the call log. */
export interface Outcome extends WireAnswer {
  error?: string;
}

let bound: Record<ServiceName, ServiceBinding> | undefined;

/** Loads both models and compiles the routes once per process, on first use. */
export function serviceBindings(): Record<ServiceName, ServiceBinding> {
  bound ??= {
    events: { definition: eventBridgeService, protocol: new AwsJsonProtocol(loadModel('events')) },
    schemas: {
      definition: schemasService,
      protocol: new RestJsonProtocol(loadModel('schemas'), schemasService.validationError),
    },
  };
  return bound;
}

/** awsJson1_1 requests carry X-Amz-Target; everything else is routed as Schemas restJson1. */
export function serviceFor(headers: IncomingHttpHeaders): ServiceName {
  return headers['x-amz-target'] !== undefined ? 'events' : 'schemas';
}

/** The operations each service answers, in the order its definition lists them. */
export function servedOperations(): Record<ServiceName, string[]> {
  const { events, schemas } = serviceBindings();
  return { events: Object.keys(events.definition.operations), schemas: Object.keys(schemas.definition.operations) };
}

/** An operation the emulator does not answer; the message names those it does, so a client sees what is there. */
export function unknownOperation(definition: ServiceDefinition, operation: string): UnknownOperationError {
  const served = Object.keys(definition.operations).join(', ');
  return new UnknownOperationError(
    operation,
    `Operation ${operation} is not supported by this emulator; of ${definition.name} it serves ${served}.`,
  );
}

export function answerError(binding: ServiceBinding, error: ServiceError): Outcome {
  return { ...binding.protocol.encodeError(error), error: error.code };
}

/** Validates the input against the model's input shape, runs the operation and encodes what it returns. */
export function execute(binding: ServiceBinding, call: DecodedCall, context: OperationContext): Outcome {
  const { definition, protocol } = binding;
  try {
    const handler = definition.operations[call.operation];
    const operation = protocol.model.operation(call.operation);
    if (!handler || !operation) throw unknownOperation(definition, call.operation);
    const violations = validateInput(protocol.model, operation.input, call.input);
    if (violations.length > 0) throw new ServiceError(definition.validationError, describeViolations(violations));
    return protocol.encodeOutput(call.operation, handler(call.input, context));
  } catch (error) {
    if (error instanceof ServiceError) return answerError(binding, error);
    const message = error instanceof Error ? error.message : String(error);
    return answerError(binding, new ServiceError(definition.internalError, `Emulator failure: ${message}`));
  }
}
