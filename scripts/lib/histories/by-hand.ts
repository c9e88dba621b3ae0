import {
  CreateEventBusCommand,
  DeleteEventBusCommand,
  TagResourceCommand as TagBusCommand,
  UntagResourceCommand as UntagBusCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateDiscovererCommand,
  DeleteDiscovererCommand,
  StopDiscovererCommand,
  TagResourceCommand as TagDiscovererCommand,
} from '@aws-sdk/client-schemas';
import type { History } from './history';
import type { Model } from './model';
import { OWNER_TAG_PREFIX } from './resources';
import type { Step } from './steps';

// What a person's own resources carry: no ownership tags, so no stack may ever change them.
const PERSON = { Key: 'owner', Value: 'a person' };

/**
 * A change made by hand between requests, with the API as anyone could: to the stack's bus and discoverer
 * (drift a later Update heals), or a bus (and discoverer) of a person's own under a name stacks use. A change
 * that cannot be made (nothing there, a rule still lingering) is noted and skipped.
 */
export const playByHand = async (
  history: History,
  model: Model,
  step: Extract<Step, { kind: 'hand' }>,
): Promise<void> => {
  const { events, schemas } = history.world.byHand;
  const making = step.action.startsWith('make-');
  const name = making ? step.name : (model.stacks[step.stack].id as string);
  const bus = history.world.emulator.buses().find((candidate) => candidate.name === name);
  const discoverer = history.world.emulator.discoverers().find((candidate) => candidate.sourceArn === bus?.arn);
  const userKey = Object.keys(bus?.tags ?? {}).find((key) => !key.startsWith(OWNER_TAG_PREFIX));
  try {
    switch (step.action) {
      case 'stop-discoverer':
        if (discoverer?.state === 'STARTED') {
          await schemas.send(new StopDiscovererCommand({ DiscovererId: discoverer.id }));
        }
        break;
      case 'delete-discoverer':
        if (discoverer) await schemas.send(new DeleteDiscovererCommand({ DiscovererId: discoverer.id }));
        break;
      case 'tag-bus':
        if (bus)
          await events.send(new TagBusCommand({ ResourceARN: bus.arn, Tags: [{ Key: 'by-hand', Value: 'yes' }] }));
        break;
      case 'untag-bus':
        if (bus && userKey) await events.send(new UntagBusCommand({ ResourceARN: bus.arn, TagKeys: [userKey] }));
        break;
      case 'tag-discoverer':
        if (discoverer) {
          await schemas.send(new TagDiscovererCommand({ ResourceArn: discoverer.arn, Tags: { 'by-hand': 'yes' } }));
        }
        break;
      case 'delete-bus':
        if (discoverer) await schemas.send(new DeleteDiscovererCommand({ DiscovererId: discoverer.id }));
        if (bus) await events.send(new DeleteEventBusCommand({ Name: bus.name }));
        break;
      case 'make-bus':
      case 'make-bus-and-discoverer': {
        if (bus) break;
        history.handMade.add(name);
        const made = await events.send(
          new CreateEventBusCommand({ Name: name, Description: 'made by hand', Tags: [PERSON] }),
        );
        if (step.action === 'make-bus-and-discoverer') {
          await schemas.send(
            new CreateDiscovererCommand({ SourceArn: made.EventBusArn, Tags: { [PERSON.Key]: PERSON.Value } }),
          );
        }
        break;
      }
    }
  } catch (error) {
    history.note(`  could not: ${(error as Error).name}: ${(error as Error).message}`);
  }
  // Whatever a person's calls were answered is theirs, not the handler's.
  history.checker.skipCalls();
};
