import { failedOperation } from './aws/clients';
import { type CustomResource, handleRequest, type LambdaContext } from './cfn/lifecycle';
import { createGithubEventBus, deleteGithubEventBus, updateGithubEventBus } from './resource/github-event-bus';
import { isValidBusName, type Properties, parseProperties } from './resource/properties';

const githubEventBus: CustomResource<Properties> = {
  parse: parseProperties,
  create: createGithubEventBus,
  update: updateGithubEventBus,
  delete: deleteGithubEventBus,
  // The bus name if it is one: the Delete that follows removes what is ours under it and nothing else.
  // Otherwise an id that is no bus name, so that Delete touches nothing.
  failedCreateId: (raw, requestId) => {
    const name =
      typeof raw === 'object' && raw !== null ? Object.getOwnPropertyDescriptor(raw, 'EventBusName')?.value : undefined;
    return isValidBusName(name) ? name : `failed-create:${requestId}`;
  },
  operationOf: failedOperation,
};

/** The Lambda entry point of Custom::GithubEventBus. */
export const handler = (event: unknown, context: LambdaContext): Promise<void> =>
  handleRequest(event, context, githubEventBus);
