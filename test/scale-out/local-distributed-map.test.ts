/**
 * The local stand-in for a Distributed Map (local/runner/distributed-map.ts) does what the service does
 * with the state's ItemReader, ItemSelector, ItemBatcher, ItemProcessor, failure tolerance and
 * ResultWriter: checked here on a small Map of the same shape as the daily machine's.
 */
import {
  localizeDistributedMaps,
  LOCAL_DISTRIBUTED_MAP_RESOURCE,
} from '../../local/runner/distributed-map-definition';
import { distributedMapHandler } from '../../local/runner/distributed-map';
import type { AslDefinition, AslState } from '../../local/runner/resolve-template';
import { LambdaTaskError, type TaskHandler } from '../../local/runner/tasks';
import { listTestKeys, putTestObject, readTestObject, startTestS3, type TestS3 } from '../support/s3';

const BUCKET = 'clean';
let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3([BUCKET]);
  const rows = Array.from({ length: 10 }, (_, i) => `${i},${'x'.repeat(i * 10)}`);
  await putTestObject(s3.client, BUCKET, 'in/items.csv', `n,text\n${rows.join('\n')}\n`);
});
afterAll(() => s3.close());

function mapState(overrides: Record<string, unknown> = {}): AslState {
  return {
    Type: 'Map',
    ItemReader: {
      Resource: 'arn:aws:states:::s3:getObject',
      ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
      Parameters: { 'Bucket.$': '$.bucket', 'Key.$': '$.key' },
    },
    ItemSelector: { 'index.$': '$$.Map.Item.Index', 'row.$': '$$.Map.Item.Value' },
    ItemBatcher: { MaxItemsPerBatch: 4, BatchInput: { 'tag.$': '$.tag' } },
    ItemProcessor: {
      ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
      StartAt: 'Work',
      States: {
        Work: {
          Type: 'Task',
          Resource: 'arn:aws:lambda:us-east-1:000000000000:function:Work',
          Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 2, IntervalSeconds: 60 }],
          End: true,
        },
      },
    },
    MaxConcurrency: 1,
    ResultWriter: {
      Resource: 'arn:aws:states:::s3:putObject',
      Parameters: { 'Bucket.$': '$.bucket', 'Prefix.$': '$.prefix' },
      WriterConfig: { OutputType: 'JSON', Transformation: 'COMPACT' },
    },
    ToleratedFailurePercentage: 0,
    ResultPath: '$.map',
    Next: 'After',
    ...overrides,
  };
}

interface Batch {
  Items: { index: number; row: { n: string; text: string } }[];
  BatchInput: { tag: string };
}

const INPUT = { bucket: BUCKET, key: 'in/items.csv', prefix: 'results/run-1', tag: 't' };

function recording(fail?: (batch: Batch, call: number) => boolean) {
  const seen: Batch[] = [];
  const work: TaskHandler = async (input) => {
    const batch = input as Batch;
    seen.push(batch);
    if (fail?.(batch, seen.length)) throw new LambdaTaskError('Boom', 'the batch failed');
    return { first: batch.Items[0]?.index, size: batch.Items.length };
  };
  return { seen, work };
}

describe('a Distributed Map run locally', () => {
  test('becomes a Task for its local handler, keeping its paths, retries, catches and transition', () => {
    const definition: AslDefinition = {
      StartAt: 'Map',
      States: { Map: mapState({ Retry: [{ ErrorEquals: ['States.ALL'] }] }) },
    };
    const { definition: local, maps } = localizeDistributedMaps(definition);
    expect(local.States.Map).toEqual({
      Type: 'Task',
      Resource: LOCAL_DISTRIBUTED_MAP_RESOURCE,
      TimeoutSeconds: 86400,
      ResultPath: '$.map',
      Retry: [{ ErrorEquals: ['States.ALL'] }],
      Next: 'After',
    });
    expect(maps.Map).toEqual(definition.States.Map);
  });

  test('reads the CSV rows, gives each its index, and batches consecutive rows with the batch input', async () => {
    const { seen, work } = recording();
    await distributedMapHandler('Map', mapState(), { s3: s3.client, handlers: { Work: work } })(INPUT);
    expect(seen.map((b) => b.Items.map((i) => i.index))).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    expect(seen[0]?.Items[1]).toEqual({ index: 1, row: { n: '1', text: 'x'.repeat(10) } });
    expect(seen.every((b) => b.BatchInput.tag === 't')).toBe(true);
  });

  test('closes a batch before its JSON would pass MaxInputBytesPerBatch', async () => {
    const { seen, work } = recording();
    const state = mapState({ ItemBatcher: { MaxItemsPerBatch: 100, MaxInputBytesPerBatch: 300 } });
    await distributedMapHandler('Map', state, { s3: s3.client, handlers: { Work: work } })(INPUT);
    expect(seen.length).toBeGreaterThan(2);
    for (const batch of seen) expect(Buffer.byteLength(JSON.stringify(batch))).toBeLessThanOrEqual(300);
    expect(seen.flatMap((b) => b.Items.map((i) => i.index))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test('writes a manifest and the children outputs where the ResultWriter says, and returns where', async () => {
    const { work } = recording();
    const result = (await distributedMapHandler('Map', mapState(), {
      s3: s3.client,
      handlers: { Work: work },
    })(INPUT)) as { MapRunArn: string; ResultWriterDetails: { Bucket: string; Key: string } };
    expect(result.ResultWriterDetails.Bucket).toBe(BUCKET);
    expect(result.ResultWriterDetails.Key).toMatch(/^results\/run-1\/[0-9a-f-]{36}\/manifest\.json$/);
    const manifest = JSON.parse(
      String(await readTestObject(s3.client, BUCKET, result.ResultWriterDetails.Key)),
    );
    expect(manifest).toMatchObject({
      DestinationBucket: BUCKET,
      MapRunArn: result.MapRunArn,
      ResultFiles: { FAILED: [], PENDING: [] },
    });
    const succeeded = JSON.parse(
      String(await readTestObject(s3.client, BUCKET, manifest.ResultFiles.SUCCEEDED[0].Key)),
    );
    expect(succeeded).toEqual([
      { first: 0, size: 4 },
      { first: 4, size: 4 },
      { first: 8, size: 2 },
    ]);
  });

  test("retries a child's Task as the ItemProcessor's Retry says", async () => {
    const { seen, work } = recording((_batch, call) => call === 1);
    await distributedMapHandler('Map', mapState(), {
      s3: s3.client,
      handlers: { Work: work },
      retryIntervalMs: 0,
    })(INPUT);
    expect(seen.map((b) => b.Items[0]?.index)).toEqual([0, 0, 4, 8]);
  });

  test('fails with States.ExceedToleratedFailureThreshold once a child fails for good, and starts no more', async () => {
    const { seen, work } = recording((batch) => batch.Items[0]?.index === 4);
    const before = await listTestKeys(s3.client, BUCKET, 'results/failed/');
    const run = distributedMapHandler('Map', mapState(), {
      s3: s3.client,
      handlers: { Work: work },
      retryIntervalMs: 0,
    });
    await expect(run({ ...INPUT, prefix: 'results/failed' })).rejects.toMatchObject({
      name: 'States.ExceedToleratedFailureThreshold',
      message: expect.stringContaining('Boom: the batch failed'),
    });
    expect(seen.map((b) => b.Items[0]?.index)).toEqual([0, 4, 4, 4]);
    expect(await listTestKeys(s3.client, BUCKET, 'results/failed/')).toEqual(before);
  });

  test('refuses a Map whose child Task has no local handler, before running anything', () => {
    expect(() => distributedMapHandler('Map', mapState(), { s3: s3.client, handlers: {} })).toThrow(
      /Work have no local handler/,
    );
  });
});
