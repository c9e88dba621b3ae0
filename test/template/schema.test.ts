import Ajv from 'ajv-draft-04';
import samSchema from '../../models/aws/sam.schema.json';
import { parseTemplate } from '../../scripts/lib/cfn-yaml';
import { clone, FUNCTION_ID, loadTemplate, TEMPLATE_PATH, TEMPLATES } from './helpers';

// The SAM schema carries its own annotation keywords (__samPassThrough, markdownDescription): strict mode would
// reject them. allErrors, so a failure lists every violation at once.
const validate = new Ajv({ strict: false, allErrors: true }).compile(samSchema);

const errorsOf = (template: unknown): string[] =>
  validate(template)
    ? []
    : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`);

describe('SAM schema (models/aws/sam.schema.json)', () => {
  it.each(TEMPLATES)('accepts %s', (_name, path) => {
    // Prepare
    const template = loadTemplate(path);

    // Act
    const errors = errorsOf(template);

    // Assess
    expect(errors).toEqual([]);
  });

  it('rejects a template without Resources', () => {
    // Prepare
    const template = parseTemplate('Description: nothing to deploy\n');

    // Act
    const errors = errorsOf(template);

    // Assess
    expect(errors.join('\n')).toContain('"missingProperty":"Resources"');
  });

  it('rejects a serverless function property SAM does not know', () => {
    // Prepare
    const template = clone(loadTemplate(TEMPLATE_PATH));
    const properties = template.Resources[FUNCTION_ID]?.Properties ?? {};
    properties.Handlr = properties.Handler;

    // Act
    const errors = errorsOf(template);

    // Assess
    expect(errors.join('\n')).toContain('"additionalProperty":"Handlr"');
  });
});
