import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROPERTY_NAMES } from '../../handler/resource/properties';
import { parseTemplate } from '../../scripts/lib/cfn-yaml';
import { CONSUMER_PATH, loadTemplate, ROOT, TEMPLATE_PATH } from './helpers';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const security = readFileSync(join(ROOT, 'docs', 'security.md'), 'utf8');

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
});
