import { CreateEventBusCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  CreateDiscovererCommand,
  DescribeSchemaCommand,
  ListSchemasCommand,
  ListSchemaVersionsCommand,
  NotFoundException,
  type SchemasClient,
  StopDiscovererCommand,
  UpdateDiscovererCommand,
} from '@aws-sdk/client-schemas';
import type { Emulator } from '../../scripts/emulator';
import { putGithubEvent, sampleWorkflowJob } from '../../scripts/lib/github-event';
import { busArn, rejectionOf, schemasClient, useEmulator } from './clients';

let emulator: Emulator;
let events: EventBridgeClient;
let schemas: SchemasClient;
useEmulator((started) => {
  ({ emulator, events, schemas } = started);
});

const REGISTRY = 'discovered-schemas';
const WORKFLOW_JOB = 'github.com@workflow_job';

type OpenApi = {
  openapi: string;
  info: { title: string; version: string };
  paths: object;
  components: { schemas: Record<string, { required?: string[]; properties: Record<string, Record<string, unknown>> }> };
};

async function busWithDiscoverer(name: string): Promise<string> {
  await events.send(new CreateEventBusCommand({ Name: name }));
  const { DiscovererId } = await schemas.send(new CreateDiscovererCommand({ SourceArn: busArn(name) }));
  return DiscovererId as string;
}

/** Puts the payload as a GitHub webhook event, then waits until discovery has taken it in. */
async function put(bus: string, payload: object, githubEvent = 'workflow_job'): Promise<void> {
  await putGithubEvent(events, bus, githubEvent, payload);
  await emulator.discoverySettled();
}

async function latest(name = WORKFLOW_JOB): Promise<{ version: string; document: OpenApi }> {
  const output = await schemas.send(new DescribeSchemaCommand({ RegistryName: REGISTRY, SchemaName: name }));
  return { version: output.SchemaVersion as string, document: JSON.parse(output.Content as string) as OpenApi };
}

async function versions(name = WORKFLOW_JOB): Promise<string[]> {
  const output = await schemas.send(new ListSchemaVersionsCommand({ RegistryName: REGISTRY, SchemaName: name }));
  return (output.SchemaVersions ?? []).map((version) => version.SchemaVersion as string);
}

describe('discovery on PutEvents', () => {
  it('infers an event on a bus with a started discoverer into discovered-schemas as <source>@<detail-type>', async () => {
    // Prepare
    await busWithDiscoverer('runners');

    // Act
    await put('runners', sampleWorkflowJob('queued'));

    // Assess
    const output = await schemas.send(new DescribeSchemaCommand({ RegistryName: REGISTRY, SchemaName: WORKFLOW_JOB }));
    expect(output).toMatchObject({
      SchemaName: WORKFLOW_JOB,
      SchemaArn: `arn:aws:schemas:us-east-1:123456789012:schema/${REGISTRY}/${WORKFLOW_JOB}`,
      SchemaVersion: '1',
      Type: 'OpenApi3',
    });
    expect(output.LastModified).toBeInstanceOf(Date);
    expect(output.VersionCreatedDate).toBeInstanceOf(Date);
  });

  it('has discovered the event by the time the PutEvents answer arrives', async () => {
    // Prepare
    await busWithDiscoverer('runners');

    // Act: no wait for discovery, only the answer.
    await putGithubEvent(events, 'runners', 'workflow_job', sampleWorkflowJob('queued'));
    const { Schemas } = await schemas.send(new ListSchemasCommand({ RegistryName: REGISTRY }));

    // Assess
    expect(Schemas?.map((schema) => schema.SchemaName)).toEqual([WORKFLOW_JOB]);
  });

  it('discovers nothing on a bus whose discoverer is stopped', async () => {
    // Prepare
    const id = await busWithDiscoverer('runners');
    await schemas.send(new StopDiscovererCommand({ DiscovererId: id }));

    // Act
    await put('runners', sampleWorkflowJob('queued'));

    // Assess
    const error = await rejectionOf(
      schemas.send(new DescribeSchemaCommand({ RegistryName: REGISTRY, SchemaName: WORKFLOW_JOB })),
    );
    expect(error).toBeInstanceOf(NotFoundException);
    expect(error.$metadata).toMatchObject({ httpStatusCode: 404 });
  });

  it('discovers nothing on a bus without a discoverer, even while another bus has one', async () => {
    // Prepare
    await busWithDiscoverer('watched');
    await events.send(new CreateEventBusCommand({ Name: 'plain' }));

    // Act
    await put('plain', sampleWorkflowJob('queued'));

    // Assess
    const { Schemas } = await schemas.send(new ListSchemasCommand({ RegistryName: REGISTRY }));
    expect(Schemas).toEqual([]);
  });

  it('discovers same-account events with CrossAccount false: every event here comes from the one account', async () => {
    // Prepare
    const id = await busWithDiscoverer('runners');
    await schemas.send(new UpdateDiscovererCommand({ DiscovererId: id, CrossAccount: false }));

    // Act
    await put('runners', sampleWorkflowJob('queued'));

    // Assess
    expect((await latest()).version).toBe('1');
  });

  it('files schemas under the region of the bus', async () => {
    // Prepare
    await busWithDiscoverer('runners');
    await put('runners', sampleWorkflowJob('queued'));
    const west = schemasClient(emulator, { region: 'eu-west-1' });

    // Act
    const { Schemas } = await west.send(new ListSchemasCommand({ RegistryName: REGISTRY }));
    west.destroy();

    // Assess
    expect(Schemas).toEqual([]);
  });
});

describe('the discovered schema of a workflow_job event', () => {
  let document: OpenApi;
  beforeEach(async () => {
    await busWithDiscoverer('runners');
    await put('runners', sampleWorkflowJob('queued'));
    ({ document } = await latest());
  });

  it('is an OpenAPI 3.0 document titled after the detail-type, with no paths', () => {
    expect(document).toMatchObject({ openapi: '3.0.0', info: { version: '1.0.0', title: 'WorkflowJob' }, paths: {} });
  });

  it('has an AWSEvent schema with the envelope, the source and detail-type, and detail as a $ref', () => {
    expect(document.components.schemas.AWSEvent).toEqual({
      type: 'object',
      required: ['detail-type', 'resources', 'detail', 'id', 'source', 'time', 'region', 'version', 'account'],
      'x-amazon-events-detail-type': 'workflow_job',
      'x-amazon-events-source': 'github.com',
      properties: {
        detail: { $ref: '#/components/schemas/WorkflowJob' },
        account: { type: 'string' },
        'detail-type': { type: 'string' },
        id: { type: 'string' },
        region: { type: 'string' },
        // The sample event carries no resources: AWS then writes an array of objects.
        resources: { type: 'array', items: { type: 'object' } },
        source: { type: 'string' },
        time: { type: 'string', format: 'date-time' },
        version: { type: 'string' },
      },
    });
  });

  it('makes the payload a named schema requiring every top-level field, nested objects $refs', () => {
    expect(document.components.schemas.WorkflowJob).toEqual({
      type: 'object',
      required: ['action', 'organization', 'repository', 'sender', 'workflow_job'],
      properties: {
        action: { type: 'string' },
        organization: { $ref: '#/components/schemas/Organization' },
        repository: { $ref: '#/components/schemas/Repository' },
        sender: { $ref: '#/components/schemas/Sender' },
        // The payload's own schema already holds the name WorkflowJob.
        workflow_job: { $ref: '#/components/schemas/WorkflowJob_1' },
      },
    });
  });

  it('infers types from the values: strings, int64 integers, booleans, date-times, arrays of strings, nulls', () => {
    const job = document.components.schemas.WorkflowJob_1;
    expect(job?.properties).toMatchObject({
      id: { type: 'integer', format: 'int64' },
      run_attempt: { type: 'integer', format: 'int64' },
      name: { type: 'string' },
      created_at: { type: 'string', format: 'date-time' },
      labels: { type: 'array', items: { type: 'string' } },
      // Only ever null: no type to infer, as AWS writes it.
      runner_id: {},
      conclusion: {},
    });
    expect(job?.required).toContain('runner_id');
    expect(document.components.schemas.Repository?.properties).toEqual({
      full_name: { type: 'string' },
      id: { type: 'integer', format: 'int64' },
      name: { type: 'string' },
      private: { type: 'boolean' },
    });
  });

  it('names one schema per nested object, AWSEvent and the payload first', () => {
    expect(Object.keys(document.components.schemas)).toEqual([
      'AWSEvent',
      'WorkflowJob',
      'Organization',
      'Repository',
      'Sender',
      'WorkflowJob_1',
    ]);
  });
});

describe('versions', () => {
  beforeEach(async () => {
    await busWithDiscoverer('runners');
    await put('runners', sampleWorkflowJob('queued'));
  });

  it('creates no version for the same shape again', async () => {
    // Act
    await put('runners', sampleWorkflowJob('queued'));
    await put('runners', sampleWorkflowJob('in_progress'));

    // Assess
    expect(await versions()).toEqual(['1']);
  });

  it('creates version 2 for a new field, keeping version 1 as it was', async () => {
    // Prepare
    const before = await latest();

    // Act
    await put('runners', { ...sampleWorkflowJob('queued'), enterprise: { slug: 'octo' } });

    // Assess
    expect(await versions()).toEqual(['1', '2']);
    const after = await latest();
    expect(after.version).toBe('2');
    expect(after.document.components.schemas.WorkflowJob?.properties.enterprise).toEqual({
      $ref: '#/components/schemas/Enterprise',
    });
    // Seen in one event of two: present, not required.
    expect(after.document.components.schemas.WorkflowJob?.required).not.toContain('enterprise');
    const first = await schemas.send(
      new DescribeSchemaCommand({ RegistryName: REGISTRY, SchemaName: WORKFLOW_JOB, SchemaVersion: '1' }),
    );
    expect(JSON.parse(first.Content as string)).toEqual(before.document);
  });

  it('creates a version for a changed type: a null field that later carries a number is a nullable integer', async () => {
    // Act
    const completed = sampleWorkflowJob('completed');
    await put('runners', { ...completed, workflow_job: { ...completed.workflow_job, runner_id: 7 } });

    // Assess
    const { version, document } = await latest();
    expect(version).toBe('2');
    expect(document.components.schemas.WorkflowJob_1?.properties.runner_id).toEqual({
      type: 'integer',
      format: 'int64',
      nullable: true,
    });
  });

  it('makes an object later seen as null a nullable reference, through allOf as OpenAPI 3.0 needs', async () => {
    // Act
    await put('runners', { ...sampleWorkflowJob('queued'), organization: null });

    // Assess
    const { version, document } = await latest();
    expect(version).toBe('2');
    expect(document.components.schemas.WorkflowJob?.properties.organization).toEqual({
      nullable: true,
      allOf: [{ $ref: '#/components/schemas/Organization' }],
    });
  });

  it('merges rather than replaces: a field missing from a later event stays, no longer required', async () => {
    // Act
    const { organization: _dropped, ...withoutOrganization } = sampleWorkflowJob('queued');
    await put('runners', withoutOrganization);

    // Assess
    const { version, document } = await latest();
    expect(version).toBe('2');
    const payload = document.components.schemas.WorkflowJob;
    expect(payload?.properties.organization).toEqual({ $ref: '#/components/schemas/Organization' });
    expect(payload?.required).not.toContain('organization');
  });

  it('widens an integer field that later carries a fraction to number', async () => {
    // Prepare
    await put('runners', { ratio: 1 }, 'metrics');

    // Act
    await put('runners', { ratio: 0.5 }, 'metrics');

    // Assess
    const { version, document } = await latest('github.com@metrics');
    expect(version).toBe('2');
    expect(document.components.schemas.Metrics?.properties.ratio).toEqual({ type: 'number', format: 'double' });
  });
});
