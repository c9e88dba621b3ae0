import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAX_USER_TAGS, PROPERTY_NAMES } from '../../handler/resource/properties';
import { parseTemplate } from '../../scripts/lib/cfn-yaml';
import { CONSUMER_PATH, loadTemplate, ROOT, TEMPLATE_PATH } from './helpers';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const security = readFileSync(join(ROOT, 'docs', 'security.md'), 'utf8');
const ciScript = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
const samconfig = readFileSync(join(ROOT, 'samconfig.toml'), 'utf8');

/** The stack name `sam deploy` uses, from samconfig.toml. */
const samStackName = (): string => {
  const name = /^stack_name = "([^"]+)"$/m.exec(samconfig)?.[1];
  if (!name) throw new Error('samconfig.toml names no stack_name');
  return name;
};

type Statement = { Sid: string; Action: string | string[] };

/** The statements of the function's role, as template.yaml declares them. */
const roleStatements = (): Statement[] => {
  const properties = loadTemplate(TEMPLATE_PATH).Resources.GithubEventBusFunctionRole?.Properties as unknown as {
    Policies: { PolicyDocument: { Statement: Statement[] } }[];
  };
  return properties.Policies.flatMap((policy) => policy.PolicyDocument.Statement);
};

/**
 * The statement table of docs/security.md: each row's Sid and its actions, a name without a service prefix taking
 * the one before it (`events:DescribeEventBus`, `ListTagsForResource`).
 */
const tabledStatements = (): { sid: string; actions: string[] }[] =>
  [...security.matchAll(/^\| `(\w+)` \| ([^|]+) \|/gm)].map(([, sid = '', cell = '']) => {
    let service = '';
    const actions = [...cell.replace(/\([^)]*\)/g, '').matchAll(/`([^`]+)`/g)].map(([, name = '']) => {
      if (name.includes(':')) service = name.split(':')[0] ?? '';
      return name.includes(':') ? name : `${service}:${name}`;
    });
    return { sid, actions: actions.sort() };
  });

/** The body of the README section under `heading`, up to the next heading of any level. */
const section = (heading: string): string => {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no section ${heading}`);
  const rest = readme.slice(start + heading.length + 2);
  const end = rest.search(/\n#{1,6} /);
  return end < 0 ? rest : rest.slice(0, end);
};

describe('docs/security.md', () => {
  it('tables every statement of the role, with exactly its actions', () => {
    // Prepare
    const declared = roleStatements().map((statement) => ({
      sid: statement.Sid,
      actions: [statement.Action].flat().sort(),
    }));

    // Act
    const tabled = tabledStatements();

    // Assess
    expect(tabled).toEqual(declared);
  });
});

describe('README.md', () => {
  it('has a row in the property table for every property the handler accepts', () => {
    // Prepare
    const table = section('### Properties');
    const own = PROPERTY_NAMES.filter((name) => name !== 'ServiceToken' && name !== 'ServiceTimeout');

    // Act
    const missing = own.filter((name) => !table.includes(`| \`${name}\` |`));

    // Assess
    expect(missing).toEqual([]);
  });

  it('shows the bus policy exactly as examples/consumer.yaml declares it', () => {
    // Prepare
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section('### Receiving events from other accounts'))?.[1] ?? '';

    // Act
    const shown = parseTemplate(`Resources:\n${yaml}`).Resources;

    // Assess
    expect(shown).toEqual({ SenderAccountPolicy: loadTemplate(CONSUMER_PATH).Resources.SenderAccountPolicy });
  });

  it('stays a front door: under 16 KB, the rest in docs/', () => {
    expect(Buffer.byteLength(readme, 'utf8')).toBeLessThan(16 * 1024);
  });

  it('gives two commands, the main job and the tests, and the tests are the command CI runs', () => {
    // Prepare
    const block = /```sh\n([\s\S]*?)```/.exec(section('## Try it: two commands'))?.[1] ?? '';

    // Act
    const commands = block
      .split('\n')
      .map((line) => line.replace(/#.*/, '').trim())
      .filter(Boolean);

    // Assess
    expect(commands).toEqual(['npm ci && npm start', 'npm test']);
    expect(ciScript.split('\n').map((line) => line.trim())).toContain('npm test');
  });

  it("tables the provider template's parameters with their defaults", () => {
    // Prepare
    const parameters = loadTemplate(TEMPLATE_PATH).Parameters as Record<string, { Default?: string }>;
    const declared = Object.fromEntries(Object.entries(parameters).map(([name, { Default }]) => [name, Default]));

    // Act
    const rows = section('### Deploy the provider').matchAll(/^\| `(\w+)` \| `([^`]*)` \|/gm);
    const tabled = Object.fromEntries([...rows].map(([, name, value]) => [name, value]));

    // Assess
    expect(tabled).toEqual(declared);
  });

  it('names the log group the template gives the function, for the stack samconfig.toml deploys', () => {
    // Prepare
    const logGroup = loadTemplate(TEMPLATE_PATH).Resources.GithubEventBusLogGroup?.Properties?.LogGroupName as {
      'Fn::Sub': string;
    };
    const text = section("### Reading the function's logs");

    // Act
    const pattern = logGroup['Fn::Sub'].replace(`\${AWS::StackName}`, '<stack name>');
    const deployed = logGroup['Fn::Sub'].replace(`\${AWS::StackName}`, samStackName());

    // Assess
    expect(text).toContain(`\`${pattern}\``);
    expect(text).toContain(`aws logs tail ${deployed} `);
    expect(text).toContain(`--cw-log-group ${deployed} `);
  });

  it('reads a failed first deploy from the events of the stack samconfig.toml deploys', () => {
    expect(section('### When the first deploy fails')).toContain(
      `aws cloudformation describe-stack-events --stack-name ${samStackName()} `,
    );
  });

  it('allows as many Tags as the handler accepts', () => {
    expect(section('### Properties')).toContain(`| \`Tags\` | no | list of \`{ Key, Value }\` (≤ ${MAX_USER_TAGS},`);
  });
});
