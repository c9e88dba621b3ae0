export { servedOperations } from './dispatch';
export { FaultConfigError, ModelError, ServiceError } from './errors';
export { BUS_HAS_RULES_MESSAGE } from './event-bridge';
export type { Fault, FaultAction } from './faults';
export { loadModel, modelPath, type ServiceName } from './model';
export type { RateLimit } from './rate-limit';
export { DISCOVERED_REGISTRY, discoveredSchemaName } from './schema-store';
export { CMK_MESSAGE, discovererIdFor, discovererQuotaMessage, managedRuleName, SCHEMAS_MANAGER } from './schemas';
export {
  type CallRecord,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGION,
  type Emulator,
  type EmulatorOptions,
  startEmulator,
} from './server';
export { MAX_TAGS_PER_RESOURCE } from './service';
export type { BusSnapshot, DiscovererSnapshot, RuleSnapshot } from './snapshots';
export type { PolicyStatement, PutEventsEntry } from './state';
