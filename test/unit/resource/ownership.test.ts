import { diffTags, isOwnedBy, ownerTags, toTagList, toTagMap } from '../../../handler/resource/ownership';

const OWNER = {
  stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/app/1c2fa620-82ec-11ef-9b5e-0affe2d4c0e1',
  logicalId: 'Bus',
};
const OTHER_STACK = 'arn:aws:cloudformation:us-east-1:123456789012:stack/other/9d0e2c10-82ec-11ef-9b5e-0affe2d4c0e1';

describe('isOwnedBy', () => {
  it('counts a resource carrying both ownership tags of this resource as its own', () => {
    // Prepare
    const tags = { ...ownerTags(OWNER), team: 'ci' };

    // Act
    const owned = isOwnedBy(tags, OWNER);

    // Assess
    expect(owned).toBe(true);
  });

  it.each([
    ['made by another resource of the same stack', { ...OWNER, logicalId: 'OtherBus' }],
    ['made by a resource of the same logical id in another stack', { ...OWNER, stackId: OTHER_STACK }],
    ['made by another resource of another stack', { stackId: OTHER_STACK, logicalId: 'OtherBus' }],
  ])('does not count a resource %s as its own', (_, creator) => {
    // Prepare
    const tags = ownerTags(creator);

    // Act
    const owned = isOwnedBy(tags, OWNER);

    // Assess
    expect(owned).toBe(false);
  });

  it.each([
    ['no tags at all', undefined],
    ['no ownership tags', { team: 'ci' }],
    ['only the stack tag', { [Object.keys(ownerTags(OWNER))[0] as string]: OWNER.stackId }],
    ['only the logical-id tag', { [Object.keys(ownerTags(OWNER))[1] as string]: OWNER.logicalId }],
  ])('does not count a resource with %s as its own', (_, tags) => {
    // Act
    const owned = isOwnedBy(tags, OWNER);

    // Assess
    expect(owned).toBe(false);
  });

  it('keeps the stack id and the logical id in two tags, each within the 256-character tag value limit', () => {
    // Prepare: the longest stack ARN (a 128-character stack name) and logical id (255 characters)
    const owner = {
      stackId: `arn:aws-us-gov:cloudformation:us-gov-west-1:123456789012:stack/${'s'.repeat(128)}/${OWNER.stackId.slice(-36)}`,
      logicalId: 'L'.repeat(255),
    };

    // Act
    const tags = ownerTags(owner);

    // Assess
    expect(Object.values(tags).sort()).toEqual([owner.logicalId, owner.stackId].sort());
    for (const [key, value] of Object.entries(tags)) {
      expect(key.startsWith('github-event-bus:')).toBe(true);
      expect(value.length).toBeLessThanOrEqual(256);
    }
  });
});

describe('toTagMap and toTagList', () => {
  it('turn a list of { Key, Value } into a map and back', () => {
    // Prepare
    const list = [
      { Key: 'team', Value: 'ci' },
      { Key: 'app', Value: '' },
    ];

    // Act
    const map = toTagMap(list);

    // Assess
    expect(map).toEqual({ team: 'ci', app: '' });
    expect(toTagList(map)).toEqual(list);
  });

  it('read no tags as an empty map', () => {
    // Act
    const map = toTagMap(undefined);

    // Assess
    expect(map).toEqual({});
  });
});

describe('diffTags', () => {
  it('sets the tags that are new or changed and removes the ones no longer wanted', () => {
    // Prepare
    const current = { team: 'ci', app: 'runners', old: 'x' };
    const desired = { team: 'platform', app: 'runners', added: 'y' };

    // Act
    const diff = diffTags(current, desired);

    // Assess
    expect(diff).toEqual({ set: { team: 'platform', added: 'y' }, remove: ['old'] });
  });

  it('sets a tag whose value changes to the empty string', () => {
    // Act
    const diff = diffTags({ team: 'ci' }, { team: '' });

    // Assess
    expect(diff).toEqual({ set: { team: '' }, remove: [] });
  });

  it('changes nothing when the tags are already as desired', () => {
    // Act
    const diff = diffTags({ team: 'ci', ...ownerTags(OWNER) }, { ...ownerTags(OWNER), team: 'ci' });

    // Assess
    expect(diff).toEqual({ set: {}, remove: [] });
  });

  it('never removes the tags AWS manages (aws:), which no caller may remove', () => {
    // Prepare: CloudFormation tags what a stack creates with aws:cloudformation:* tags
    const current = {
      'aws:cloudformation:stack-name': 'app',
      'aws:cloudformation:logical-id': 'Bus',
      'team:aws:': 'ci',
      old: 'x',
    };

    // Act
    const diff = diffTags(current, {});

    // Assess
    expect(diff.remove.sort()).toEqual(['old', 'team:aws:']);
  });

  it('reads keys as data, not through the prototype', () => {
    // Prepare
    const current = { team: 'ci' };
    const desired = { constructor: 'x', toString: 'y', team: 'ci' };

    // Act
    const diff = diffTags(current, desired);

    // Assess
    expect(diff).toEqual({ set: { constructor: 'x', toString: 'y' }, remove: [] });
  });
});
