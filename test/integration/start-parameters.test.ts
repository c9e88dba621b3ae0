// npm start -- --parameter NAME=VALUE: values for the template's Parameters, checked as CloudFormation checks them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateEventBusCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { CreateDiscovererCommand, SchemasClient, StopDiscovererCommand } from '@aws-sdk/client-schemas';
import { type Emulator, startEmulator } from '../../scripts/emulator';
import { problemLines, root, run, stopChildren } from './start-process';

const scratch = mkdtempSync(join(tmpdir(), 'start-parameters-'));
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  await emulator.close();
});
afterEach(stopChildren);

type Report = {
  ok: boolean;
  steps: { title: string; properties: Record<string, unknown>; answer: { Status: string } }[];
  discovery?: { status: string };
  leftovers: string[];
  notOurs: string[];
  problem?: string;
};

/** template.yaml with a BusDescription parameter of its own (the real one has none), passed on as Description. */
const describingTemplate = (): string => {
  const text = readFileSync(join(root, 'template.yaml'), 'utf8')
    .replace(
      /^Conditions:$/m,
      "  BusDescription:\n    Type: String\n    Default: 'runner events'\n    AllowedPattern: ^[a-z ]+$\n\nConditions:",
    )
    .replace(/^( +)Description: Events from GitHub Actions.*$/m, '$1Description: !Ref BusDescription');
  expect(text).toContain('Description: !Ref BusDescription');
  const path = join(scratch, 'describing.yaml');
  writeFileSync(path, text);
  return path;
};

describe('npm start -- --parameter NAME=VALUE', () => {
  it.each([
    [['--parameter', 'Nope=1'], /^--parameter Nope: template\.yaml has no parameter Nope \(it has EventBusName, /],
    [
      ['--parameter', 'DiscovererState=PAUSED'],
      /^--parameter DiscovererState=PAUSED: allowed values are STARTED, STOPPED /,
    ],
    [['--parameter', 'EventBusName=bad/name'], /^--parameter EventBusName=bad\/name: 1-256 letters, digits/],
    [['--parameter', 'EventBusName'], /^--parameter takes NAME=VALUE, got "EventBusName" /],
    [['--parameter', 'EventBusName=a', '--parameter', 'EventBusName=b'], /^--parameter EventBusName is given twice /],
    [['--parameter', 'AdoptExisting=maybe'], /^--parameter AdoptExisting=maybe: allowed values are true, false /],
    [
      ['--parameter', 'BusDescription=x'],
      /^--parameter BusDescription: template\.yaml has no parameter BusDescription /,
    ],
  ])('refuses %j in one line, with exit code 2, before it starts anything', async (args, line) => {
    // Act
    const { code, stdout, stderr } = await run(args);

    // Assess
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(problemLines(stderr)).toEqual([expect.stringMatching(line)]);
  });

  it('says in its --help what --template and --parameter do', async () => {
    // Act
    const { code, stdout } = await run(['--help']);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^ {2}--template FILE +play the Custom::GithubEventBus declared in FILE instead of template\.yaml/m,
    );
    expect(stdout).toMatch(/^ {2}--parameter NAME=VALUE +a value for one of the template's Parameters \(repeatable;/m);
  });

  it('plays the resource with the values given, the other parameters at their Default', async () => {
    // Act
    const { code, stdout } = await run([
      '--json',
      '--parameter',
      'EventBusName=runners-bus',
      '--parameter',
      'DiscovererState=STOPPED',
    ]);

    // Assess
    const report = JSON.parse(stdout) as Report;
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.steps[0]?.properties).toMatchObject({ EventBusName: 'runners-bus', DiscovererState: 'STOPPED' });
    expect(report.steps.map((step) => step.title)).toEqual([
      'Create',
      'Update: start discovery',
      'Update: rename (replacement)',
      'Delete the replaced bus',
      'Delete',
    ]);
    expect(report.discovery?.status).toBe('skipped');
  });

  it('says the run cannot go on when the parameters leave the resource out of the stack', async () => {
    // Act
    const { code, stderr } = await run(['--parameter', 'CreateEventBus=false']);

    // Assess
    expect(code).toBe(1);
    expect(problemLines(stderr)).toEqual([
      'Cannot use template.yaml: with these parameters its Custom::GithubEventBus GithubActionsEventBus is left out: ' +
        'its Condition ShouldCreateEventBus is false',
    ]);
  });

  it('takes a parameter that only a template copy declares, and checks it against that copy', async () => {
    // Prepare
    const template = describingTemplate();

    // Act
    const refused = await run(['--template', template, '--parameter', 'BusDescription=Not Allowed']);

    // Assess
    expect(refused.code).toBe(2);
    expect(problemLines(refused.stderr)).toEqual([expect.stringMatching(/^--parameter BusDescription=Not Allowed: /)]);
  });

  it('adopts a bus it did not make with AdoptExisting=true, and leaves that bus in place', async () => {
    // Prepare
    const client = new EventBridgeClient({
      endpoint: emulator.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await client.send(new CreateEventBusCommand({ Name: 'github-actions-event-bus' }));
    client.destroy();
    const env = { ...process.env, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' };

    // Act
    const { code, stdout } = await run(
      ['--json', '--endpoint', emulator.url, '--parameter', 'AdoptExisting=true'],
      env,
    );

    // Assess
    const report = JSON.parse(stdout) as Report;
    expect({ code, problem: report.problem }).toEqual({ code: 0, problem: undefined });
    expect(report.steps[0]?.properties).toMatchObject({ AdoptExisting: 'true' });
    expect(report.leftovers).toEqual([]);
    expect(report.notOurs).toEqual(['event bus github-actions-event-bus (made outside any stack of this resource)']);
    expect(emulator.buses().map((bus) => bus.name)).toEqual(['github-actions-event-bus']);
    expect(emulator.discoverers()).toEqual([]);
  });

  it('adopts a bus and discoverer made by hand with AdoptExisting=true, and hands both back', async () => {
    // Prepare: the by-hand setup, discovery stopped, on an emulator of its own state
    emulator.reset();
    const config = {
      endpoint: emulator.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    };
    const events = new EventBridgeClient(config);
    const schemas = new SchemasClient(config);
    const made = await events.send(new CreateEventBusCommand({ Name: 'github-actions-event-bus' }));
    await schemas.send(new CreateDiscovererCommand({ SourceArn: made.EventBusArn, Tags: { team: 'platform' } }));
    await schemas.send(new StopDiscovererCommand({ DiscovererId: 'events-event-bus-github-actions-event-bus' }));
    events.destroy();
    schemas.destroy();
    const env = { ...process.env, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' };

    // Act
    const { code, stdout } = await run(
      ['--json', '--endpoint', emulator.url, '--parameter', 'AdoptExisting=true'],
      env,
    );

    // Assess
    const report = JSON.parse(stdout) as Report;
    expect({ code, problem: report.problem }).toEqual({ code: 0, problem: undefined });
    expect(emulator.buses().map((bus) => bus.name)).toEqual(['github-actions-event-bus']);
    expect(emulator.discoverers().map((discoverer) => discoverer.tags)).toEqual([{ team: 'platform' }]);
  });
});
