import { IncludeDetail, Level } from '@aws-sdk/client-eventbridge';
import { cutText } from '../log';
import { InvalidPropertiesError } from './errors';

export type DiscovererState = 'STARTED' | 'STOPPED';
export type Tag = { Key: string; Value: string };
/** The bus's logging, as AWS::Events::EventBus and UpdateEventBus spell it, with both members filled in. */
export type LogConfig = { IncludeDetail: IncludeDetail; Level: Level };

export type Properties = {
  eventBusName: string;
  description?: string;
  discovererDescription: string;
  discovererState: DiscovererState;
  crossAccount: boolean;
  deadLetterArn?: string;
  logConfig?: LogConfig;
  tags: Tag[];
  adoptExisting: boolean;
};

// Tag keys this resource writes to mark what it owns; users may not set them.
export const OWNER_TAG_PREFIX = 'github-event-bus:';
// EventBridge and Schemas allow 50 tags per resource; ours take four of them on the discoverer (stack id, logical id,
// bus-owned, and the creating invocation's mark) and three on the bus.
export const MAX_USER_TAGS = 46;

const BUS_NAME = /^[A-Za-z0-9._-]{1,256}$/;
const SQS_ARN = /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$/;

export const PROPERTY_NAMES = [
  'ServiceToken',
  'ServiceTimeout',
  'EventBusName',
  'Description',
  'DiscovererDescription',
  'DiscovererState',
  'CrossAccount',
  'DeadLetterConfig',
  'LogConfig',
  'Tags',
  'AdoptExisting',
] as const;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// Own properties only: a key named `__proto__` or `constructor` is read as data, never through the prototype.
const own = (record: Record<string, unknown>, key: string): unknown =>
  Object.hasOwn(record, key) ? record[key] : undefined;

const describe = (value: unknown): string => {
  if (typeof value === 'string') return value.length > 40 ? `a string of ${value.length} characters` : `"${value}"`;
  if (Array.isArray(value)) return 'a list';
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
};

export const isValidBusName = (name: unknown): name is string =>
  typeof name === 'string' && BUS_NAME.test(name) && name !== 'default';

class Reader {
  readonly problems: string[] = [];

  constructor(private readonly raw: Record<string, unknown>) {}

  string(key: string, { required = false, max }: { required?: boolean; max: number }): string | undefined {
    const value = own(this.raw, key);
    if (value === undefined) {
      if (required) this.problems.push(`${key} is required`);
      return undefined;
    }
    if (typeof value !== 'string') {
      this.problems.push(`${key} must be a string, got ${describe(value)}`);
      return undefined;
    }
    if (value.length > max) {
      this.problems.push(`${key} must be at most ${max} characters, got ${value.length}`);
      return undefined;
    }
    return value;
  }

  // CloudFormation sends every scalar as a string, so booleans arrive as "true" / "false".
  boolean(key: string, fallback: boolean): boolean {
    const value = own(this.raw, key);
    if (value === undefined) return fallback;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    this.problems.push(`${key} must be "true" or "false", got ${describe(value)}`);
    return fallback;
  }

  fail(problem: string): void {
    this.problems.push(problem);
  }
}

const parseEventBusName = (reader: Reader): string => {
  const name = reader.string('EventBusName', { required: true, max: 256 });
  if (name === undefined) return '';
  if (name === 'default') reader.fail('EventBusName must not be "default": that is the account\'s own bus');
  else if (!BUS_NAME.test(name)) reader.fail('EventBusName must be 1-256 characters of A-Z a-z 0-9 . _ - (no "/")');
  return name;
};

const parseDiscovererState = (reader: Reader, raw: Record<string, unknown>): DiscovererState => {
  const value = own(raw, 'DiscovererState');
  if (value === undefined || value === 'STARTED' || value === 'STOPPED') return value ?? 'STARTED';
  reader.fail(`DiscovererState must be STARTED or STOPPED, got ${describe(value)}`);
  return 'STARTED';
};

const parseDeadLetterArn = (reader: Reader, raw: Record<string, unknown>): string | undefined => {
  const value = own(raw, 'DeadLetterConfig');
  if (value === undefined) return undefined;
  if (!isRecord(value)) {
    reader.fail(`DeadLetterConfig must be an object { Arn }, got ${describe(value)}`);
    return undefined;
  }
  const extra = Object.keys(value).filter((key) => key !== 'Arn');
  if (extra.length > 0) reader.fail(`DeadLetterConfig has unknown properties: ${extra.join(', ')}`);
  const arn = own(value, 'Arn');
  if (typeof arn !== 'string' || !SQS_ARN.test(arn)) {
    reader.fail(`DeadLetterConfig.Arn must be the ARN of an SQS queue, got ${describe(arn)}`);
    return undefined;
  }
  return arn;
};

/**
 * What a member left out means, and what a bus without logging settings has: no logs, no event detail. These are
 * the documented defaults (Level OFF, IncludeDetail NONE:
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-bus-logs.html).
 */
export const LOGGING_OFF: Readonly<LogConfig> = Object.freeze({ IncludeDetail: IncludeDetail.NONE, Level: Level.OFF });

// One member of LogConfig, checked against the SDK's enum for it: generated from the EventBridge model, so the
// accepted values are the model's.
const logConfigMember = <K extends keyof LogConfig>(
  reader: Reader,
  config: Record<string, unknown>,
  key: K,
  allowed: Record<string, LogConfig[K]>,
): LogConfig[K] => {
  const given = own(config, key);
  if (given === undefined) return LOGGING_OFF[key];
  const values: readonly unknown[] = Object.values(allowed);
  if (values.includes(given)) return given as LogConfig[K];
  reader.fail(`LogConfig.${key} must be ${values.join(', ').replace(/, ([^,]*)$/, ' or $1')}, got ${describe(given)}`);
  return LOGGING_OFF[key];
};

const parseLogConfig = (reader: Reader, raw: Record<string, unknown>): LogConfig | undefined => {
  const value = own(raw, 'LogConfig');
  if (value === undefined) return undefined;
  if (!isRecord(value)) {
    reader.fail(`LogConfig must be an object { IncludeDetail, Level }, got ${describe(value)}`);
    return undefined;
  }
  const extra = Object.keys(value).filter((key) => key !== 'IncludeDetail' && key !== 'Level');
  if (extra.length > 0) reader.fail(`LogConfig has unknown properties: ${extra.join(', ')}`);
  return {
    IncludeDetail: logConfigMember(reader, value, 'IncludeDetail', IncludeDetail),
    Level: logConfigMember(reader, value, 'Level', Level),
  };
};

const parseTag = (reader: Reader, entry: unknown, index: number): Tag | undefined => {
  const where = `Tags[${index}]`;
  if (!isRecord(entry)) {
    reader.fail(`${where} must be an object { Key, Value }, got ${describe(entry)}`);
    return undefined;
  }
  const extra = Object.keys(entry).filter((key) => key !== 'Key' && key !== 'Value');
  if (extra.length > 0) reader.fail(`${where} has unknown properties: ${extra.join(', ')}`);
  const key = own(entry, 'Key');
  const value = own(entry, 'Value');
  const before = reader.problems.length;
  if (typeof key !== 'string' || key.length < 1 || key.length > 128) {
    reader.fail(`${where}.Key must be a string of 1-128 characters, got ${describe(key)}`);
  } else if (key.toLowerCase().startsWith('aws:') || key.startsWith(OWNER_TAG_PREFIX)) {
    // AWS reserves the prefix in any mix of case.
    reader.fail(`${where}.Key must not start with "aws:" (in any case) or "${OWNER_TAG_PREFIX}" (reserved)`);
  }
  if (typeof value !== 'string' || value.length > 256) {
    reader.fail(`${where}.Value must be a string of at most 256 characters, got ${describe(value)}`);
  }
  return reader.problems.length === before ? { Key: key as string, Value: value as string } : undefined;
};

const parseTags = (reader: Reader, raw: Record<string, unknown>): Tag[] => {
  const value = own(raw, 'Tags');
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    reader.fail(`Tags must be a list of { Key, Value }, got ${describe(value)}`);
    return [];
  }
  if (value.length > MAX_USER_TAGS) reader.fail(`Tags may hold at most ${MAX_USER_TAGS} tags, got ${value.length}`);
  const tags = value.slice(0, MAX_USER_TAGS + 1).flatMap((entry, index) => parseTag(reader, entry, index) ?? []);
  const keys = tags.map((tag) => tag.Key);
  const duplicates = keys.filter((key, index) => keys.indexOf(key) !== index);
  if (duplicates.length > 0) reader.fail(`Tags has duplicate keys: ${[...new Set(duplicates)].join(', ')}`);
  return tags;
};

/** Raw ResourceProperties in, validated Properties out, or one InvalidPropertiesError naming every bad property. */
export const parseProperties = (raw: unknown): Properties => {
  if (!isRecord(raw)) throw new InvalidPropertiesError([`ResourceProperties must be an object, got ${describe(raw)}`]);
  const reader = new Reader(raw);
  const known: readonly string[] = PROPERTY_NAMES;
  for (const key of Object.keys(raw)) {
    if (key === 'KmsKeyIdentifier') {
      reader.fail(
        'KmsKeyIdentifier is not supported: schema discovery does not support an event bus encrypted with a customer managed key',
      );
    } else if (!known.includes(key)) {
      reader.fail(`${cutText(JSON.stringify(key), 80)} is not a property of Custom::GithubEventBus`);
    }
  }
  const eventBusName = parseEventBusName(reader);
  // An empty description is no description: AWS reports none as absent, so "" and absent must compare equal.
  const properties: Properties = {
    eventBusName,
    description: reader.string('Description', { max: 512 }) || undefined,
    discovererDescription:
      reader.string('DiscovererDescription', { max: 256 }) ||
      `Schema discoverer for events on ${eventBusName} event bus`.slice(0, 256),
    discovererState: parseDiscovererState(reader, raw),
    crossAccount: reader.boolean('CrossAccount', true),
    deadLetterArn: parseDeadLetterArn(reader, raw),
    logConfig: parseLogConfig(reader, raw),
    tags: parseTags(reader, raw),
    adoptExisting: reader.boolean('AdoptExisting', false),
  };
  if (reader.problems.length > 0) throw new InvalidPropertiesError(reader.problems);
  return properties;
};
