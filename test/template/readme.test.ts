import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROPERTY_NAMES } from '../../handler/resource/properties';
import { parseTemplate } from '../../scripts/lib/cfn-yaml';
import { CONSUMER_PATH, loadTemplate, ROOT } from './helpers';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The body of the README section under `heading`, up to the next heading of any level. */
const section = (heading: string): string => {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no section ${heading}`);
  const rest = readme.slice(start + heading.length + 2);
  const end = rest.search(/\n#{1,6} /);
  return end < 0 ? rest : rest.slice(0, end);
};

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
