import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';

// What the runners' webhook forwarder puts on the bus: Source github.com, DetailType the X-GitHub-Event header,
// Detail the webhook payload. examples/consumer.yaml matches on the same three.
export const GITHUB_EVENT_SOURCE = 'github.com';

export const WORKFLOW_JOB_ACTIONS = ['queued', 'in_progress', 'completed'] as const;

/** A trimmed `workflow_job` webhook payload, as GitHub sends it when a job is queued for a self-hosted runner. */
export const sampleWorkflowJob = (action: (typeof WORKFLOW_JOB_ACTIONS)[number] = 'queued') => ({
  action,
  workflow_job: {
    id: 29679449,
    run_id: 12345678,
    workflow_name: 'CI',
    head_branch: 'main',
    run_url: 'https://api.github.com/repos/octo-org/example-workflow/actions/runs/12345678',
    run_attempt: 1,
    head_sha: '6b1d9a8c3e6f2d7a0c5b4e3d2f1a0b9c8d7e6f5a',
    status: action,
    conclusion: action === 'completed' ? 'success' : null,
    created_at: '2026-11-27T05:00:00Z',
    started_at: '2026-11-27T05:00:01Z',
    name: 'build',
    labels: ['self-hosted', 'linux', 'arm64'],
    runner_id: null,
    runner_name: null,
    runner_group_id: null,
    runner_group_name: null,
  },
  repository: { id: 186853002, name: 'example-workflow', full_name: 'octo-org/example-workflow', private: true },
  organization: { login: 'octo-org', id: 33435682 },
  sender: { login: 'octocat', id: 21031067, type: 'User' },
});

/** Puts one webhook delivery on the bus; detail-type is the webhook's X-GitHub-Event header. */
export const putGithubEvent = async (
  client: EventBridgeClient,
  busName: string,
  githubEvent: string,
  payload: object,
): Promise<string> => {
  const output = await client.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: busName,
          Source: GITHUB_EVENT_SOURCE,
          DetailType: githubEvent,
          Detail: JSON.stringify(payload),
        },
      ],
    }),
  );
  const entry = output.Entries?.[0];
  if (output.FailedEntryCount || !entry?.EventId)
    throw new Error(`PutEvents failed: ${entry?.ErrorCode} ${entry?.ErrorMessage}`);
  return entry.EventId;
};
