import { ATTRIBUTE_NAMES } from '../../handler/resource/attributes';
import { PROPERTY_NAMES, parseProperties } from '../../handler/resource/properties';
import { findAttributeReads } from '../../scripts/lib/cfn-references';
import type { Template } from '../../scripts/lib/cfn-yaml';
import { parseTemplate } from '../../scripts/lib/cfn-yaml';
import { CONSUMER_PATH, CUSTOM_RESOURCE_TYPE, loadTemplate, resourcesOfType, TEMPLATES } from './helpers';

/** `Resource.Attribute` for every Fn::GetAtt (or `${Resource.Attribute}`) on a Custom::GithubEventBus that `known` lacks. */
const unknownAttributeReads = (template: Template, known: readonly string[]): string[] => {
  const instances = new Set(resourcesOfType(template, CUSTOM_RESOURCE_TYPE));
  return findAttributeReads(template)
    .filter(({ resource, attribute }) => instances.has(resource) && !known.includes(attribute))
    .map(({ resource, attribute, path }) => `${path}: ${resource}.${attribute}`);
};

/** `Resource.Property` for every property of a Custom::GithubEventBus that `accepted` lacks. */
const unknownProperties = (template: Template, accepted: readonly string[]): string[] =>
  resourcesOfType(template, CUSTOM_RESOURCE_TYPE).flatMap((id) =>
    Object.keys(template.Resources[id]?.Properties ?? {})
      .filter((name) => !accepted.includes(name))
      .map((name) => `${id}.${name}`),
  );

// The handler's own lists: the one place the names are defined.
const attributeNames = (): readonly string[] => ATTRIBUTE_NAMES;

describe('Custom::GithubEventBus attributes', () => {
  it('are listed by the handler in handler/resource/attributes.ts', () => {
    // Act
    const names = attributeNames();

    // Assess
    expect(names).toEqual(expect.arrayContaining(['EventBusName', 'EventBusArn']));
  });

  it.each(TEMPLATES)('read by Fn::GetAtt in %s are all ones the handler returns', (_name, path) => {
    // Prepare
    const template = loadTemplate(path);

    // Act
    const unknown = unknownAttributeReads(template, attributeNames());

    // Assess
    expect(unknown).toEqual([]);
  });

  it('are reported when a template reads one the handler does not return', () => {
    // Prepare
    const template = parseTemplate(`
Resources:
  Bus: { Type: ${CUSTOM_RESOURCE_TYPE} }
Outputs:
  A: { Value: !GetAtt Bus.EventBusArn }
  B: { Value: !GetAtt Bus.Arn }
  C: { Value: !Sub '\${Bus.RuleArn}' }
`);

    // Act
    const unknown = unknownAttributeReads(template, ['EventBusArn']);

    // Assess
    expect(unknown).toEqual(['Outputs.B.Value: Bus.Arn', 'Outputs.C.Value: Bus.RuleArn']);
  });
});

describe('Custom::GithubEventBus properties', () => {
  it.each(TEMPLATES)('set in %s are all accepted ones', (_name, path) => {
    // Prepare
    const template = loadTemplate(path);

    // Act
    const unknown = unknownProperties(template, PROPERTY_NAMES);

    // Assess
    expect(unknown).toEqual([]);
  });

  it.each(TEMPLATES)('in %s include the required EventBusName and a ServiceToken', (_name, path) => {
    // Prepare
    const template = loadTemplate(path);

    // Act
    const incomplete = resourcesOfType(template, CUSTOM_RESOURCE_TYPE).filter((id) => {
      const properties = template.Resources[id]?.Properties ?? {};
      return properties.EventBusName === undefined || properties.ServiceToken === undefined;
    });

    // Assess
    expect(incomplete).toEqual([]);
  });

  it('are reported when a template sets one the handler does not accept', () => {
    // Prepare
    const template = parseTemplate(`
Resources:
  Bus:
    Type: ${CUSTOM_RESOURCE_TYPE}
    Properties: { ServiceToken: x, EventBusName: b, KmsKeyIdentifier: k }
`);

    // Act
    const unknown = unknownProperties(template, PROPERTY_NAMES);

    // Assess
    expect(unknown).toEqual(['Bus.KmsKeyIdentifier']);
  });
});

describe('Custom::GithubEventBus LogConfig', () => {
  /** `Resource: problem` for each LogConfig in the template that the handler would refuse. */
  const refusedLogConfigs = (template: Template): string[] =>
    resourcesOfType(template, CUSTOM_RESOURCE_TYPE).flatMap((id) => {
      const logConfig = template.Resources[id]?.Properties?.LogConfig;
      if (logConfig === undefined) return [];
      try {
        parseProperties({ EventBusName: 'bus', LogConfig: logConfig });
        return [];
      } catch (error) {
        return [`${id}: ${(error as Error).message}`];
      }
    });

  it('is set in examples/consumer.yaml, as on AWS::Events::EventBus', () => {
    // Prepare
    const template = loadTemplate(CONSUMER_PATH);

    // Assess
    expect(template.Resources.RunnerBus?.Properties?.LogConfig).toEqual({ IncludeDetail: 'NONE', Level: 'ERROR' });
  });

  it.each(TEMPLATES)('set in %s has values the handler accepts', (_name, path) => {
    // Act
    const refused = refusedLogConfigs(loadTemplate(path));

    // Assess
    expect(refused).toEqual([]);
  });

  it('is reported when a template sets a value the handler refuses', () => {
    // Prepare
    const template = parseTemplate(`
Resources:
  Bus:
    Type: ${CUSTOM_RESOURCE_TYPE}
    Properties: { ServiceToken: x, EventBusName: b, LogConfig: { Level: WARN } }
`);

    // Act
    const refused = refusedLogConfigs(template);

    // Assess
    expect(refused).toEqual(['Bus: Invalid properties: LogConfig.Level must be ERROR, INFO, OFF or TRACE, got "WARN"']);
  });
});
