import type { Statement } from './iam-policy-checks';

/**
 * What Schemas may check the caller of CreateDiscoverer, UpdateDiscoverer and DeleteDiscoverer for on the
 * discoverer's managed rule. No SDK command of the handler names them: they are the EventBridge actions the
 * AWS::EventSchemas::Discoverer registry schema lists as its handlers' permissions
 * (models/aws/cfn/aws-eventschemas-discoverer.json; test/template/least-privilege.test.ts reads them from there),
 * the same the managed policy AmazonEventBridgeSchemasFullAccess grants on Schemas rules:
 * https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonEventBridgeSchemasFullAccess.html
 */
export const MANAGED_RULE_ACTIONS: readonly string[] = [
  'events:PutRule',
  'events:PutTargets',
  'events:EnableRule',
  'events:ListTargetsByRule',
  'events:DisableRule',
  'events:DeleteRule',
  'events:RemoveTargets',
];

/**
 * The managed rules, `Schemas-events-event-bus-<bus>` (handler/resource/event-bus.ts), on any bus of the stack's
 * account and region, in both ARN forms of the Service Authorization Reference: rule-on-custom-event-bus
 * (`rule/<bus>/<rule>`) and rule-on-default-event-bus (`rule/<rule>`).
 */
export const MANAGED_RULE_RESOURCES: readonly string[] = [
  `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:rule/*/Schemas-events-event-bus-*`,
  `arn:\${AWS::Partition}:events:\${AWS::Region}:\${AWS::AccountId}:rule/Schemas-events-event-bus-*`,
];

/** The managed-rule actions only on the managed rules, and nothing but them there. */
export const checkManagedRuleScope = (statements: readonly Statement[]): string[] =>
  statements.flatMap((statement) => {
    const ruleActions = statement.actions.filter((action) => MANAGED_RULE_ACTIONS.includes(action));
    if (ruleActions.length === 0) return [];
    return [
      ...statement.actions
        .filter((action) => !MANAGED_RULE_ACTIONS.includes(action))
        .map((action) => `${statement.sid}: ${action} granted beside the managed-rule actions`),
      ...statement.resources
        .filter((resource) => !MANAGED_RULE_RESOURCES.includes(resource))
        .map((resource) => `${statement.sid}: ${ruleActions.join(', ')} on ${resource}, not only the managed rules`),
    ];
  });
