import Ajv from 'ajv-draft-04';
import fc from 'fast-check';
import { renderOpenApi, toJsonSchemaDraft4 } from '../../scripts/emulator/schema-document';
import { type EventShape, inferObject, inferShape, mergeEvents } from '../../scripts/emulator/schema-shape';
import { SchemaStore } from '../../scripts/emulator/schema-store';

const NUM_RUNS = 100;
const formats = { 'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/, int64: true as const, double: true as const };
// ownProperties: a detail field named `constructor` must not be found on Object.prototype.
const ajv = new Ajv({ strict: false, formats, ownProperties: true });

// Any JSON object as a detail, __proto__ and friends among the keys.
const detail = fc.dictionary(
  fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'AWSEvent')),
  fc.jsonValue(),
  {
    maxKeys: 6,
  },
);

function shapeOf(value: Record<string, unknown>): EventShape {
  return { source: 'github.com', detailType: 'workflow_job', detail: inferObject(value), resources: inferShape([]) };
}

function event(value: Record<string, unknown>) {
  // Through JSON, as PutEvents receives it: -0 becomes 0, __proto__ an own property.
  const parsed = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  return {
    version: '0',
    id: 'e',
    'detail-type': 'workflow_job',
    source: 'github.com',
    account: '123456789012',
    time: '2026-11-27T05:00:00Z',
    region: 'us-east-1',
    resources: [],
    detail: parsed,
  };
}

describe('schema inference, for any JSON detail', () => {
  it('exports a draft 4 schema that accepts the event it was inferred from', () => {
    fc.assert(
      fc.property(detail, (value) => {
        const { detail: parsed, ...rest } = event(value);
        const validate = ajv.compile(toJsonSchemaDraft4(renderOpenApi(shapeOf(parsed))));
        expect({ ok: validate({ ...rest, detail: parsed }), errors: validate.errors }).toEqual({
          ok: true,
          errors: null,
        });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('merges two events into a schema that accepts both', () => {
    fc.assert(
      fc.property(detail, detail, (a, b) => {
        const [first, second] = [event(a), event(b)];
        const merged = mergeEvents(shapeOf(first.detail), shapeOf(second.detail));
        const validate = ajv.compile(toJsonSchemaDraft4(renderOpenApi(merged)));
        expect([validate(first), validate(second)]).toEqual([true, true]);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('makes no new version for an event the schema already covers', () => {
    fc.assert(
      fc.property(detail, detail, (a, b) => {
        const store = new SchemaStore();
        const [first, second] = [event(a).detail, event(b).detail];
        store.record('us-east-1', '123456789012', shapeOf(first));
        store.record('us-east-1', '123456789012', shapeOf(second));
        const before = store.get('us-east-1', 'github.com@workflow_job')?.versions.length;
        // Both again: everything in them is in the schema already.
        store.record('us-east-1', '123456789012', shapeOf(first));
        store.record('us-east-1', '123456789012', shapeOf(second));
        expect(store.get('us-east-1', 'github.com@workflow_job')?.versions.length).toBe(before);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
