/** The names `Fn::GetAtt` can read from a Custom::GithubEventBus. */
export const ATTRIBUTE_NAMES = [
  'EventBusName',
  'EventBusArn',
  'DiscovererId',
  'DiscovererArn',
  'DiscovererState',
  'CrossAccount',
  'SchemaRegistryName',
] as const;

export type Attributes = Record<(typeof ATTRIBUTE_NAMES)[number], string>;

// Discovered schemas always land in this AWS-managed registry.
export const SCHEMA_REGISTRY_NAME = 'discovered-schemas';
