import { readFileSync } from 'node:fs';
import {
  CreateEventBusCommand,
  type EventBridgeClient,
  type Level,
  ListRulesCommand,
  PutEventsCommand,
  TagResourceCommand,
} from '@aws-sdk/client-eventbridge';
import { BadRequestException, CreateDiscovererCommand, type SchemasClient } from '@aws-sdk/client-schemas';
import { type Emulator, modelPath } from '../../scripts/emulator';
import { type Shape, SmithyModel } from '../../scripts/emulator/model';
import { validateInput } from '../../scripts/emulator/validate';
import { busArn, rejectionOf, useEmulator } from './clients';

type Limits = { min?: number; max?: number };

// The tests read the numbers from the model files themselves, so they prove the emulator does too.
const eventBridgeShapes = readShapes('events');
const schemasShapes = readShapes('schemas');

function readShapes(service: 'events' | 'schemas'): Record<string, Shape> {
  return (JSON.parse(readFileSync(modelPath(service), 'utf8')) as { shapes: Record<string, Shape> }).shapes;
}

function trait<T>(shapes: Record<string, Shape>, id: string, name: string): T {
  return shapes[id]?.traits?.[name] as T;
}

const EB = 'com.amazonaws.eventbridge#';

let emulator: Emulator;
let events: EventBridgeClient;
let schemas: SchemasClient;
useEmulator((started) => {
  ({ emulator, events, schemas } = started);
});

describe('EventBridge inputs checked against the model', () => {
  const descriptionMax = trait<Limits>(eventBridgeShapes, `${EB}EventBusDescription`, 'smithy.api#length')
    .max as number;

  it('accepts a Description exactly at the length limit in the model file', async () => {
    // Act
    const output = await events.send(new CreateEventBusCommand({ Name: 'a', Description: 'x'.repeat(descriptionMax) }));

    // Assess
    expect(output.EventBusArn).toBe(busArn('a'));
  });

  it('rejects a Description one character over that limit with ValidationException', async () => {
    // Act
    const error = await rejectionOf(
      events.send(new CreateEventBusCommand({ Name: 'a', Description: 'x'.repeat(descriptionMax + 1) })),
    );

    // Assess
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain(`at 'description' failed to satisfy constraint`);
    expect(error.message).toContain(`less than or equal to ${descriptionMax}`);
  });

  it('rejects a Name failing the pattern in the model file', async () => {
    // Prepare
    const pattern = trait<string>(eventBridgeShapes, `${EB}EventBusName`, 'smithy.api#pattern');

    // Act
    const error = await rejectionOf(events.send(new CreateEventBusCommand({ Name: 'bad name!' })));

    // Assess
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain(`regular expression pattern: ${pattern}`);
  });

  it('rejects a missing required member', async () => {
    // Act
    const error = await rejectionOf(events.send(new CreateEventBusCommand({ Name: undefined })));

    // Assess
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain("Value null at 'name' failed to satisfy constraint: Member must not be null");
  });

  it('rejects a missing required member inside a list of structures', async () => {
    // Act
    const error = await rejectionOf(
      events.send(new TagResourceCommand({ ResourceARN: busArn('a'), Tags: [{ Key: undefined, Value: 'v' }] })),
    );

    // Assess
    expect(error.message).toContain("at 'tags.1.member.key'");
  });

  it('rejects more PutEvents entries than the list length in the model file', async () => {
    // Prepare
    const max = trait<Limits>(eventBridgeShapes, `${EB}PutEventsRequestEntryList`, 'smithy.api#length').max as number;
    const entry = { Source: 's', DetailType: 'd', Detail: '{}' };

    // Act
    const error = await rejectionOf(events.send(new PutEventsCommand({ Entries: Array(max + 1).fill(entry) })));

    // Assess
    expect(error.message).toContain(
      `at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
    );
  });

  it('rejects a Limit outside the range in the model file', async () => {
    // Prepare
    const max = trait<Limits>(eventBridgeShapes, `${EB}LimitMax100`, 'smithy.api#range').max as number;

    // Act
    const error = await rejectionOf(events.send(new ListRulesCommand({ Limit: max + 1 })));

    // Assess
    expect(error.message).toContain(`Member must have value less than or equal to ${max}`);
  });

  it('rejects a value outside an enum shape', async () => {
    // Act
    const error = await rejectionOf(
      events.send(new CreateEventBusCommand({ Name: 'a', LogConfig: { Level: 'LOUD' as Level } })),
    );

    // Assess
    expect(error.message).toContain(
      "at 'logConfig.level' failed to satisfy constraint: Member must satisfy enum value set",
    );
  });

  it('leaves the state unchanged when it rejects an input', async () => {
    // Act
    await rejectionOf(events.send(new CreateEventBusCommand({ Name: 'bad name!' })));

    // Assess
    expect(emulator.buses()).toEqual([]);
  });
});

describe('Schemas inputs checked against the model', () => {
  it('rejects a Description over the length limit in the model file with BadRequestException (400)', async () => {
    // Prepare
    const member = schemasShapes['com.amazonaws.schemas#CreateDiscovererRequest']?.members?.Description;
    const max = trait<Limits>(schemasShapes, member?.target as string, 'smithy.api#length').max as number;
    await events.send(new CreateEventBusCommand({ Name: 'a' }));

    // Act
    const error = await rejectionOf(
      schemas.send(new CreateDiscovererCommand({ SourceArn: busArn('a'), Description: 'x'.repeat(max + 1) })),
    );

    // Assess
    expect(error).toBeInstanceOf(BadRequestException);
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
  });

  it('rejects a missing required SourceArn with BadRequestException', async () => {
    // Act
    const error = await rejectionOf(schemas.send(new CreateDiscovererCommand({ SourceArn: undefined })));

    // Assess
    expect(error).toBeInstanceOf(BadRequestException);
    expect(error.message).toContain("at 'sourceArn'");
  });
});

describe('validateInput', () => {
  const input = { Name: 'orders', Description: 'six ch' };

  it('accepts an input the vendored model allows', () => {
    // Prepare
    const model = new SmithyModel('events', eventBridgeShapes);

    // Act
    const violations = validateInput(model, `${EB}CreateEventBusRequest`, input);

    // Assess
    expect(violations).toEqual([]);
  });

  it('follows a changed limit in the model it is given', () => {
    // Prepare
    const description = eventBridgeShapes[`${EB}EventBusDescription`] as Shape;
    const tightened = { ...description, traits: { ...description.traits, 'smithy.api#length': { min: 0, max: 5 } } };
    const model = new SmithyModel('events', { ...eventBridgeShapes, [`${EB}EventBusDescription`]: tightened });

    // Act
    const violations = validateInput(model, `${EB}CreateEventBusRequest`, input);

    // Assess
    expect(violations).toEqual([
      "Value 'six ch' at 'description' failed to satisfy constraint: Member must have length less than or equal to 5",
    ]);
  });
});
