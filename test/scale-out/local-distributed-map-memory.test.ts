/**
 * The local Distributed Map streams its CSV ItemReader: what it has read from S3 ahead of the rows
 * it has handed to children stays under a bound however large the object is, and no more than
 * MaxConcurrency children run at once. Measured on the bytes the S3 client's response body actually
 * delivers (real SDK against s3rver), not on a timer.
 */
import { Transform, type Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';

import { distributedMapHandler } from '../../local/runner/distributed-map';
import { evaluate, itemSelector } from '../../local/runner/distributed-map-items';
import type { AslState } from '../../local/runner/resolve-template';
import type { TaskHandler } from '../../local/runner/tasks';
import { makeTestS3Client, putTestObject, startTestS3, type TestS3 } from '../support/s3';

const BUCKET = 'clean';
const KEY = 'scale-out/run/staging.csv';
const HEADER = 'n,text\n';
const ROWS = 40_000;
const row = (i: number): string => `${i},${String(i % 997).padStart(190, 'x')}\n`;
let s3: TestS3;
let objectBytes = 0;

beforeAll(async () => {
  s3 = await startTestS3([BUCKET]);
  const body = HEADER + Array.from({ length: ROWS }, (_, i) => row(i)).join('');
  objectBytes = Buffer.byteLength(body);
  await putTestObject(s3.client, BUCKET, KEY, body);
}, 120_000);
afterAll(() => s3.close());

/** A client whose GetObject bodies count the bytes they deliver to the reader. */
function countingClient(endpoint: string): { client: S3Client; delivered: () => number } {
  const client = makeTestS3Client(endpoint);
  let delivered = 0;
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as { body?: Readable };
      if (response.body && typeof response.body.pipe === 'function') {
        const counter = new Transform({
          highWaterMark: 1024,
          transform(chunk: Buffer, _encoding, done) {
            delivered += chunk.length;
            done(null, chunk);
          },
        });
        response.body = response.body.pipe(counter);
      }
      return result;
    },
    { step: 'deserialize', name: 'countBodyBytes' },
  );
  return { client, delivered: () => delivered };
}

const mapState = (maxConcurrency: number): AslState => ({
  Type: 'Map',
  ItemReader: {
    Resource: 'arn:aws:states:::s3:getObject',
    ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
    Parameters: { Bucket: BUCKET, Key: KEY },
  },
  ItemSelector: { 'index.$': '$$.Map.Item.Index', 'row.$': '$$.Map.Item.Value' },
  ItemBatcher: { MaxItemsPerBatch: 100 },
  ItemProcessor: {
    ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
    StartAt: 'Work',
    States: { Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:0:function:Work', End: true } },
  },
  MaxConcurrency: maxConcurrency,
  ResultPath: '$.map',
  End: true,
});

interface Batch {
  Items: { index: number; row: { n: string; text: string } }[];
}

describe('a local Distributed Map over a large CSV object', () => {
  test('reads ahead of the children by a bounded amount, never the whole object, with MaxConcurrency children at most', async () => {
    const { client, delivered } = countingClient(s3.endpoint);
    let handedOut = Buffer.byteLength(HEADER);
    let inFlight = 0;
    let maxInFlight = 0;
    let maxAhead = 0;
    const indexes: number[] = [];
    const work: TaskHandler = async (input) => {
      const batch = input as Batch;
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      for (const item of batch.Items) {
        handedOut += Buffer.byteLength(`${item.row.n},${item.row.text}\n`);
        indexes.push(item.index);
      }
      maxAhead = Math.max(maxAhead, delivered() - handedOut);
      await new Promise((resolve) => setTimeout(resolve, 1)); // the reader may run ahead meanwhile
      inFlight--;
      return { rows: batch.Items.length };
    };
    const result = await distributedMapHandler('Map', mapState(3), {
      s3: client,
      handlers: { Work: work },
    })({});
    client.destroy();
    expect(objectBytes).toBeGreaterThan(7_000_000);
    expect(delivered()).toBe(objectBytes); // the counter saw the whole object go through
    expect(indexes).toEqual(Array.from({ length: ROWS }, (_, i) => i));
    expect(result).toHaveLength(ROWS / 100);
    expect(maxInFlight).toBe(3);
    // What is read but not yet handed to a child: about a chunk of the body plus a batch being
    // formed, not the 8 MB object (slurping it would put this at 8 MB at the first child).
    expect(maxAhead).toBeLessThan(512 * 1024);
  }, 120_000);

  test('stops reading the object when the Map fails early', async () => {
    const { client, delivered } = countingClient(s3.endpoint);
    const work: TaskHandler = async () => {
      throw new Error('boom');
    };
    await expect(
      distributedMapHandler('Map', mapState(1), { s3: client, handlers: { Work: work } })({}),
    ).rejects.toMatchObject({ name: 'States.ExceedToleratedFailureThreshold' });
    client.destroy();
    expect(delivered()).toBeLessThan(objectBytes / 10);
  }, 60_000);

  test("the selector of the daily machine's Map gives what the engine gives", async () => {
    const selector = { 'index.$': '$$.Map.Item.Index', 'row.$': '$$.Map.Item.Value' };
    const value = { n: '7', text: 'a"b\\c' };
    const direct = itemSelector(selector, { any: 1 });
    expect(await direct?.(7, value)).toEqual(
      await evaluate(selector, { any: 1 }, { Map: { Item: { Index: 7, Value: value } } }),
    );
    // anything else goes through the engine
    const other = { 'n.$': '$$.Map.Item.Value.n', fixed: 1 };
    expect(await itemSelector(other, {})?.(3, value)).toEqual({ n: '7', fixed: 1 });
  });
});
