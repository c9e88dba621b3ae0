import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { requiredActions, scanDirectory, scanSource } from '../../scripts/lib/sdk-iam-actions';

const operationsIn = (source: string): string[] => scanSource(source).operations.map(({ operation }) => operation);

describe('scanSource', () => {
  it('finds the commands of a multi-line import', () => {
    // Act
    const operations = operationsIn(`import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  EventBridgeClient,
} from '@aws-sdk/client-eventbridge';`);

    // Assess
    expect(operations).toEqual(['CreateEventBus', 'DeleteEventBus']);
  });

  it('ignores `import type` and inline `type` specifiers, which are erased', () => {
    // Act
    const operations = operationsIn(`
import type { DeleteDiscovererCommand } from '@aws-sdk/client-schemas';
import { type StopDiscovererCommand, StartDiscovererCommand } from '@aws-sdk/client-schemas';
import type { $Command } from '@aws-sdk/client-eventbridge';`);

    // Assess
    expect(operations).toEqual(['StartDiscoverer']);
  });

  it('reads the imported name, not its local alias', () => {
    // Act
    const operations = operationsIn(`import { TagResourceCommand as TagBus } from "@aws-sdk/client-eventbridge";`);

    // Assess
    expect(operations).toEqual(['TagResource']);
  });

  it('counts re-exports and paginators', () => {
    // Act
    const operations = operationsIn(`
export { DescribeEventBusCommand } from '@aws-sdk/client-eventbridge';
import { paginateListDiscoverers } from '@aws-sdk/client-schemas';`);

    // Assess
    expect(operations).toEqual(['DescribeEventBus', 'ListDiscoverers']);
  });

  it('ignores other packages and commented-out imports', () => {
    // Act
    const operations = operationsIn(`
import { SendMessageCommand } from '@aws-sdk/client-sqs';
// import { PutRuleCommand } from '@aws-sdk/client-eventbridge';
/* import { PutEventsCommand } from '@aws-sdk/client-eventbridge'; */
const url = 'https://example.com/'; import { ListTagsForResourceCommand } from '@aws-sdk/client-eventbridge';`);

    // Assess
    expect(operations).toEqual(['ListTagsForResource']);
  });

  it.each([
    ['a namespace import', "import * as eb from '@aws-sdk/client-eventbridge';"],
    ['a star re-export', "export * from '@aws-sdk/client-schemas';"],
    ['require', "const eb = require('@aws-sdk/client-eventbridge');"],
    ['a dynamic import', "const eb = await import('@aws-sdk/client-eventbridge');"],
    ['the aggregated client', "import { EventBridge } from '@aws-sdk/client-eventbridge';"],
    ['a waiter', "import { waitUntilCodeBindingExists } from '@aws-sdk/client-schemas';"],
  ])('reports %s as unsupported, since its operations cannot be read', (_case, source) => {
    // Act
    const { unsupported } = scanSource(source);

    // Assess
    expect(unsupported).toHaveLength(1);
  });
});

describe('scanDirectory', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'fake-handler-'));
    const files: Record<string, string> = {
      'index.ts': "import { CreateEventBusCommand } from '@aws-sdk/client-eventbridge';",
      'resource/discoverer.ts': "import {\n  CreateDiscovererCommand,\n} from '@aws-sdk/client-schemas';",
      'resource/discoverer.test.ts': "import { DeleteRegistryCommand } from '@aws-sdk/client-schemas';",
      'types.d.ts': "import { PutEventsCommand } from '@aws-sdk/client-eventbridge';",
      'notes.md': "import { PutRuleCommand } from '@aws-sdk/client-eventbridge';",
    };
    for (const [path, source] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), source);
    }
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('scans every .ts file below the directory, tests and declarations excepted', () => {
    // Act
    const { operations } = scanDirectory(root);

    // Assess
    expect(operations).toEqual([
      { module: '@aws-sdk/client-eventbridge', operation: 'CreateEventBus', file: 'index.ts' },
      { module: '@aws-sdk/client-schemas', operation: 'CreateDiscoverer', file: join('resource', 'discoverer.ts') },
    ]);
  });
});

describe('requiredActions', () => {
  it('maps operations to IAM actions with the tagging their creation implies', () => {
    // Prepare
    const operations = [
      { module: '@aws-sdk/client-eventbridge', operation: 'CreateEventBus', file: 'a.ts' },
      { module: '@aws-sdk/client-schemas', operation: 'CreateDiscoverer', file: 'b.ts' },
      { module: '@aws-sdk/client-schemas', operation: 'CreateDiscoverer', file: 'c.ts' },
    ];

    // Act
    const actions = requiredActions(operations);

    // Assess
    expect(actions).toEqual([
      'events:CreateEventBus',
      'events:TagResource',
      'schemas:CreateDiscoverer',
      'schemas:TagResource',
    ]);
  });
});
