import { CreateEventBusCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  BadRequestException,
  CreateDiscovererCommand,
  DeleteSchemaCommand,
  DescribeRegistryCommand,
  DescribeSchemaCommand,
  ExportSchemaCommand,
  GetDiscoveredSchemaCommand,
  ListRegistriesCommand,
  ListSchemasCommand,
  ListSchemaVersionsCommand,
  NotFoundException,
  paginateListSchemas,
  type SchemasClient,
  SearchSchemasCommand,
} from '@aws-sdk/client-schemas';
import Ajv from 'ajv-draft-04';
import type { Emulator } from '../../scripts/emulator';
import { putGithubEvent, sampleWorkflowJob } from '../../scripts/lib/github-event';
import { busArn, rejectionOf, useEmulator } from './clients';

let emulator: Emulator;
let events: EventBridgeClient;
let schemas: SchemasClient;
useEmulator((started) => {
  ({ emulator, events, schemas } = started);
});

const REGISTRY = 'discovered-schemas';
const WORKFLOW_JOB = 'github.com@workflow_job';

/** A bus with a started discoverer that has discovered one event of each GitHub event name given. */
async function discovered(...githubEvents: string[]): Promise<void> {
  await events.send(new CreateEventBusCommand({ Name: 'runners' }));
  await schemas.send(new CreateDiscovererCommand({ SourceArn: busArn('runners') }));
  for (const name of githubEvents) await putGithubEvent(events, 'runners', name, sampleWorkflowJob('queued'));
  await emulator.discoverySettled();
}

function envelope(detail: object, overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'workflow_job',
    source: 'github.com',
    account: '123456789012',
    time: '2026-11-27T05:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail,
    ...overrides,
  });
}

describe('ListRegistries and DescribeRegistry', () => {
  it('list discovered-schemas with its ARN', async () => {
    // Act
    const { Registries } = await schemas.send(new ListRegistriesCommand({}));

    // Assess
    expect(Registries).toEqual([
      {
        RegistryName: REGISTRY,
        RegistryArn: `arn:aws:schemas:us-east-1:123456789012:registry/${REGISTRY}`,
        Tags: {},
      },
    ]);
  });

  it('filter by name prefix and scope', async () => {
    // Act
    const [local, aws, other] = await Promise.all([
      schemas.send(new ListRegistriesCommand({ Scope: 'Local', RegistryNamePrefix: 'disc' })),
      schemas.send(new ListRegistriesCommand({ Scope: 'AWS' })),
      schemas.send(new ListRegistriesCommand({ RegistryNamePrefix: 'aws.' })),
    ]);

    // Assess
    expect(local.Registries?.map((registry) => registry.RegistryName)).toEqual([REGISTRY]);
    expect(aws.Registries).toEqual([]);
    expect(other.Registries).toEqual([]);
  });

  it('raise BadRequestException for an unknown scope', async () => {
    // Act
    const error = await rejectionOf(schemas.send(new ListRegistriesCommand({ Scope: 'Everything' })));

    // Assess
    expect(error).toBeInstanceOf(BadRequestException);
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
  });

  it('describe discovered-schemas', async () => {
    // Act
    const output = await schemas.send(new DescribeRegistryCommand({ RegistryName: REGISTRY }));

    // Assess
    expect(output).toMatchObject({
      RegistryName: REGISTRY,
      RegistryArn: `arn:aws:schemas:us-east-1:123456789012:registry/${REGISTRY}`,
    });
  });

  it('raise NotFoundException (404) describing another registry', async () => {
    // Act
    const error = await rejectionOf(schemas.send(new DescribeRegistryCommand({ RegistryName: 'mine' })));

    // Assess
    expect(error).toBeInstanceOf(NotFoundException);
    expect(error.$metadata).toMatchObject({ httpStatusCode: 404 });
  });
});

describe('ListSchemas', () => {
  it('lists discovered schemas by name with their version count', async () => {
    // Prepare
    await discovered('workflow_job', 'workflow_run');

    // Act
    const { Schemas } = await schemas.send(new ListSchemasCommand({ RegistryName: REGISTRY }));

    // Assess
    expect(Schemas).toEqual([
      expect.objectContaining({ SchemaName: WORKFLOW_JOB, VersionCount: 1, LastModified: expect.any(Date) }),
      expect.objectContaining({ SchemaName: 'github.com@workflow_run', VersionCount: 1 }),
    ]);
  });

  it('filters by name prefix', async () => {
    // Prepare
    await discovered('workflow_job', 'workflow_run', 'push');

    // Act
    const { Schemas } = await schemas.send(
      new ListSchemasCommand({ RegistryName: REGISTRY, SchemaNamePrefix: 'github.com@workflow' }),
    );

    // Assess
    expect(Schemas?.map((schema) => schema.SchemaName)).toEqual([WORKFLOW_JOB, 'github.com@workflow_run']);
  });

  it('pages through every schema with the SDK paginator', async () => {
    // Prepare
    await discovered('a', 'b', 'c', 'd', 'e');

    // Act
    const pages: string[][] = [];
    for await (const page of paginateListSchemas({ client: schemas, pageSize: 2 }, { RegistryName: REGISTRY })) {
      pages.push((page.Schemas ?? []).map((schema) => schema.SchemaName as string));
    }

    // Assess
    expect(pages).toEqual([['github.com@a', 'github.com@b'], ['github.com@c', 'github.com@d'], ['github.com@e']]);
  });

  it('raises BadRequestException for a token it did not hand out', async () => {
    // Act
    const error = await rejectionOf(
      schemas.send(new ListSchemasCommand({ RegistryName: REGISTRY, NextToken: 'not-a-token' })),
    );

    // Assess
    expect(error).toBeInstanceOf(BadRequestException);
  });
});

describe('DescribeSchema and ListSchemaVersions', () => {
  it('describe a given version and list every version', async () => {
    // Prepare
    await discovered('workflow_job');
    await putGithubEvent(events, 'runners', 'workflow_job', {
      ...sampleWorkflowJob('queued'),
      installation: { id: 1 },
    });
    await emulator.discoverySettled();

    // Act
    const [first, latest, list] = await Promise.all([
      schemas.send(new DescribeSchemaCommand({ RegistryName: REGISTRY, SchemaName: WORKFLOW_JOB, SchemaVersion: '1' })),
      schemas.send(new DescribeSchemaCommand({ RegistryName: REGISTRY, SchemaName: WORKFLOW_JOB })),
      schemas.send(new ListSchemaVersionsCommand({ RegistryName: REGISTRY, SchemaName: WORKFLOW_JOB })),
    ]);

    // Assess
    expect(first.SchemaVersion).toBe('1');
    expect(first.Content).not.toContain('installation');
    expect(latest.SchemaVersion).toBe('2');
    expect(latest.Content).toContain('"installation"');
    expect(list.SchemaVersions).toEqual([
      { SchemaName: WORKFLOW_JOB, SchemaArn: latest.SchemaArn, SchemaVersion: '1', Type: 'OpenApi3' },
      { SchemaName: WORKFLOW_JOB, SchemaArn: latest.SchemaArn, SchemaVersion: '2', Type: 'OpenApi3' },
    ]);
  });

  it.each<[string, () => Promise<unknown>]>([
    ['a missing schema', () => schemas.send(new DescribeSchemaCommand({ RegistryName: REGISTRY, SchemaName: 'x@y' }))],
    [
      'a missing version',
      () =>
        schemas.send(
          new DescribeSchemaCommand({ RegistryName: REGISTRY, SchemaName: WORKFLOW_JOB, SchemaVersion: '9' }),
        ),
    ],
    [
      'another registry',
      () => schemas.send(new DescribeSchemaCommand({ RegistryName: 'aws.events', SchemaName: WORKFLOW_JOB })),
    ],
    [
      'the versions of a missing schema',
      () => schemas.send(new ListSchemaVersionsCommand({ RegistryName: REGISTRY, SchemaName: 'x@y' })),
    ],
  ])('raise NotFoundException (404) for %s', async (_case, send) => {
    // Prepare
    await discovered('workflow_job');

    // Act
    const error = await rejectionOf(send());

    // Assess
    expect(error).toBeInstanceOf(NotFoundException);
    expect(error.$metadata).toMatchObject({ httpStatusCode: 404 });
  });
});

describe('ExportSchema', () => {
  it('exports JSON Schema draft 4 that validates the event it was discovered from', async () => {
    // Prepare
    await discovered('workflow_job');

    // Act
    const output = await schemas.send(
      new ExportSchemaCommand({ RegistryName: REGISTRY, SchemaName: WORKFLOW_JOB, Type: 'JSONSchemaDraft4' }),
    );

    // Assess
    expect(output).toMatchObject({ SchemaName: WORKFLOW_JOB, SchemaVersion: '1', Type: 'JSONSchemaDraft4' });
    const schema = JSON.parse(output.Content as string);
    expect(schema).toMatchObject({
      $schema: 'http://json-schema.org/draft-04/schema#',
      title: 'WorkflowJob',
      'x-amazon-events-source': 'github.com',
      properties: { detail: { $ref: '#/definitions/WorkflowJob' } },
    });
    expect(Object.keys(schema.definitions)).toEqual([
      'WorkflowJob',
      'Organization',
      'Repository',
      'Sender',
      'WorkflowJob_1',
    ]);
    // The formats discovery writes: int64 and double are OpenAPI's, any JSON integer or number passes them.
    const formats = {
      'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/,
      int64: true as const,
      double: true as const,
    };
    const validate = new Ajv({ strict: false, formats }).compile(schema);
    const event = JSON.parse(envelope(sampleWorkflowJob('queued')));
    expect(validate(event)).toBe(true);
    expect(validate({ ...event, detail: { ...event.detail, repository: { id: 'not a number' } } })).toBe(false);
    expect(validate({ ...event, time: 'yesterday' })).toBe(false);
  });

  it('turns a nullable field into a null type, and a nullable reference into anyOf', async () => {
    // Prepare
    await discovered('workflow_job');
    const queued = sampleWorkflowJob('queued');
    await putGithubEvent(events, 'runners', 'workflow_job', {
      ...queued,
      organization: null,
      workflow_job: { ...queued.workflow_job, runner_id: 7 },
    });
    await emulator.discoverySettled();

    // Act
    const output = await schemas.send(
      new ExportSchemaCommand({ RegistryName: REGISTRY, SchemaName: WORKFLOW_JOB, Type: 'JSONSchemaDraft4' }),
    );

    // Assess
    const { definitions } = JSON.parse(output.Content as string);
    expect(definitions.WorkflowJob.properties.organization).toEqual({
      anyOf: [{ $ref: '#/definitions/Organization' }, { type: 'null' }],
    });
    expect(definitions.WorkflowJob_1.properties.runner_id).toEqual({ type: ['integer', 'null'], format: 'int64' });
  });

  it('raises BadRequestException for a type other than JSONSchemaDraft4', async () => {
    // Prepare
    await discovered('workflow_job');

    // Act
    const error = await rejectionOf(
      schemas.send(new ExportSchemaCommand({ RegistryName: REGISTRY, SchemaName: WORKFLOW_JOB, Type: 'OpenApi3' })),
    );

    // Assess
    expect(error).toBeInstanceOf(BadRequestException);
  });
});

describe('GetDiscoveredSchema', () => {
  it('infers one schema from the events given and stores nothing', async () => {
    // Act
    const output = await schemas.send(
      new GetDiscoveredSchemaCommand({
        Type: 'OpenApi3',
        Events: [envelope({ id: 1, tags: ['a'] }), envelope({ id: 2, note: 'late' })],
      }),
    );

    // Assess
    const document = JSON.parse(output.Content as string);
    expect(document.components.schemas.AWSEvent['x-amazon-events-detail-type']).toBe('workflow_job');
    expect(document.components.schemas.WorkflowJob).toEqual({
      type: 'object',
      required: ['id'],
      properties: {
        id: { type: 'integer', format: 'int64' },
        note: { type: 'string' },
        tags: { type: 'array', items: { type: 'string' } },
      },
    });
    const { Schemas } = await schemas.send(new ListSchemasCommand({ RegistryName: REGISTRY }));
    expect(Schemas).toEqual([]);
  });

  it('infers the resources of the events given', async () => {
    // Act
    const output = await schemas.send(
      new GetDiscoveredSchemaCommand({
        Type: 'OpenApi3',
        Events: [envelope({}, { resources: ['arn:aws:s3:::bucket'] })],
      }),
    );

    // Assess
    const document = JSON.parse(output.Content as string);
    expect(document.components.schemas.AWSEvent.properties.resources).toEqual({
      type: 'array',
      items: { type: 'string' },
    });
  });

  it('answers JSON Schema draft 4 when asked', async () => {
    // Act
    const output = await schemas.send(
      new GetDiscoveredSchemaCommand({ Type: 'JSONSchemaDraft4', Events: [envelope({ id: 1 })] }),
    );

    // Assess
    expect(JSON.parse(output.Content as string)).toMatchObject({
      $schema: 'http://json-schema.org/draft-04/schema#',
      definitions: { WorkflowJob: { required: ['id'] } },
    });
  });

  it.each([
    ['text that is not JSON', ['{not json']],
    ['an event without a detail', [JSON.stringify({ source: 'github.com', 'detail-type': 'push' })]],
    ['events of two detail-types', [envelope({}), envelope({}, { 'detail-type': 'push' })]],
  ])('raises BadRequestException for %s', async (_case, eventList) => {
    // Act
    const error = await rejectionOf(
      schemas.send(new GetDiscoveredSchemaCommand({ Type: 'OpenApi3', Events: eventList })),
    );

    // Assess
    expect(error).toBeInstanceOf(BadRequestException);
    expect(error.$metadata).toMatchObject({ httpStatusCode: 400 });
  });

  it('raises BadRequestException for more than ten events, as the model limits', async () => {
    // Act
    const error = await rejectionOf(
      schemas.send(new GetDiscoveredSchemaCommand({ Type: 'OpenApi3', Events: Array(11).fill(envelope({})) })),
    );

    // Assess
    expect(error).toBeInstanceOf(BadRequestException);
  });
});

describe('DeleteSchema', () => {
  it('deletes the schema with its versions; the next event starts again at version 1', async () => {
    // Prepare
    await discovered('workflow_job');
    await putGithubEvent(events, 'runners', 'workflow_job', { extra: true });
    await emulator.discoverySettled();

    // Act
    const output = await schemas.send(new DeleteSchemaCommand({ RegistryName: REGISTRY, SchemaName: WORKFLOW_JOB }));

    // Assess
    expect(output.$metadata.httpStatusCode).toBe(204);
    const gone = await rejectionOf(
      schemas.send(new DescribeSchemaCommand({ RegistryName: REGISTRY, SchemaName: WORKFLOW_JOB })),
    );
    expect(gone).toBeInstanceOf(NotFoundException);
    await putGithubEvent(events, 'runners', 'workflow_job', sampleWorkflowJob('queued'));
    await emulator.discoverySettled();
    const again = await schemas.send(new DescribeSchemaCommand({ RegistryName: REGISTRY, SchemaName: WORKFLOW_JOB }));
    expect(again.SchemaVersion).toBe('1');
  });

  it('raises NotFoundException for a schema that does not exist', async () => {
    // Act
    const error = await rejectionOf(
      schemas.send(new DeleteSchemaCommand({ RegistryName: REGISTRY, SchemaName: 'x@y' })),
    );

    // Assess
    expect(error).toBeInstanceOf(NotFoundException);
  });
});

describe('SearchSchemas', () => {
  it('finds schemas whose name contains the keyword, with their versions', async () => {
    // Prepare
    await discovered('workflow_job', 'workflow_run', 'push');

    // Act
    const { Schemas } = await schemas.send(new SearchSchemasCommand({ RegistryName: REGISTRY, Keywords: 'WORKFLOW' }));

    // Assess
    expect(Schemas).toEqual([
      expect.objectContaining({
        RegistryName: REGISTRY,
        SchemaName: WORKFLOW_JOB,
        SchemaVersions: [{ SchemaVersion: '1', Type: 'OpenApi3', CreatedDate: expect.any(Date) }],
      }),
      expect.objectContaining({ SchemaName: 'github.com@workflow_run' }),
    ]);
  });
});
