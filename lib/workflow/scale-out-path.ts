import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { SCALE_OUT_PREFIX } from '../../lambdas/cleaning/scale-out/scale-out-payloads';
import { acknowledge, acknowledgeInvokeGrants, acknowledgeWildcardResources, flattenReference } from '../nag';
import { CAUGHT_ERROR_PATH, type FailureNotification } from './failure-notification';
import { LambdaStep } from './lambda-step';
import { RetryPolicy } from './retry-policy';
import { SCALE_OUT_MODES, SCALE_OUT_STATE_NAMES as NAMES } from './scale-out-names';
import type { ScaleOutSettings } from './scale-out-settings';

export interface ScaleOutPathProps {
  readonly prepare: lambda.IFunction;
  readonly cleanBatch: lambda.IFunction;
  readonly combine: lambda.IFunction;
  /** Holds the staging CSV, the parts and the Map Run results (under `scale-out/`). */
  readonly cleanBucket: s3.IBucket;
  readonly settings: ScaleOutSettings;
  /** The daily machine's retry policy (Prepare, Combine and the Map itself). */
  readonly retry: RetryPolicy;
  readonly failure: FailureNotification;
  /** The single-Lambda Clean step: the other branch of the choice. */
  readonly singleClean: sfn.IChainable;
  /** Where both branches continue (Load). */
  readonly next: sfn.IChainable;
}

/**
 * A worker's retries run inside an Express child execution (5 minutes at most): a few short waits
 * for what a retry can fix (throttling, a busy S3), none for what it cannot. The Map itself then
 * retries on the daily machine's policy.
 */
const WORKER_RETRY = new RetryPolicy({ interval: Duration.seconds(5), backoffRate: 2, maxAttempts: 3 });

/** CDK drops a tolerated failure share of 0 (the service default); written out, it says itself. */
class NoFailureToleratedMap extends sfn.DistributedMap {
  override toStateJson(queryLanguage?: sfn.QueryLanguage): object {
    return { ...super.toStateJson(queryLanguage), ToleratedFailurePercentage: 0 };
  }
}

/** The staging CSV reader, allowed to read the scale-out prefix only (not the whole bucket). */
class StagingCsvReader extends sfn.S3CsvItemReader {
  constructor(private readonly readable: string) {
    super({
      bucketNamePath: sfn.JsonPath.stringAt('$.prepared.staging.bucket'),
      key: sfn.JsonPath.stringAt('$.prepared.staging.key'),
      csvHeaders: sfn.CsvHeaders.useFirstRow(),
    });
  }
  override providePolicyStatements(): iam.PolicyStatement[] {
    return [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [this.readable] })];
  }
}

/** The Map Run results writer, allowed to write the scale-out prefix only. */
class StagingResultWriter extends sfn.ResultWriterV2 {
  constructor(private readonly writable: string) {
    super({
      bucketNamePath: sfn.JsonPath.stringAt('$.prepared.staging.bucket'),
      prefix: sfn.JsonPath.stringAt('$.prepared.resultsPrefix'),
      writerConfig: new sfn.WriterConfig({
        outputType: sfn.OutputType.JSON,
        transformation: sfn.Transformation.COMPACT,
      }),
    });
  }
  override providePolicyStatements(): iam.PolicyStatement[] {
    return [
      new iam.PolicyStatement({
        actions: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
        resources: [this.writable],
      }),
    ];
  }
}

/**
 * The path for a day that outgrows one Lambda, chosen after Validate:
 *
 *     ChooseCleanPath --(mode "scale-out", or object > thresholdBytes)--> Prepare -> CleanBatches -> Combine -> Load
 *                     \--(mode "single", or otherwise)------------------> Clean ------------------------------> Load
 *
 * Prepare (a Lambda) streams the day file into a plain staging CSV; CleanBatches is a Distributed
 * Map reading it with the S3 CSV ItemReader (header row), batching rows (ItemBatcher) and giving
 * each row its item index (ItemSelector), one Express child per batch running the CleanBatch Lambda;
 * its results go to S3 (ResultWriter), and Combine (a Lambda) settles users across batches and
 * writes the day's outputs, returning the Clean step's CleanResult at `$.clean`, so Load is the same.
 * A row's line number in the day file is a column of the staging CSV (blank lines and line breaks
 * inside quotes make it differ from index + 2); the item index orders the batches, and Combine checks
 * that they cover the rows exactly once.
 * `mode` is read from the execution input (Validate passes the input's fields through); any other
 * value than "scale-out" or "single" is ignored (the size decides).
 */
export class ScaleOutPath extends Construct {
  readonly choice: sfn.Choice;
  readonly map: sfn.DistributedMap;
  private readonly functions: lambda.IFunction[];
  private readonly scaleOutObjects: string;

  constructor(scope: Construct, id: string, props: ScaleOutPathProps) {
    super(scope, id);
    const { retry, failure, settings } = props;
    this.functions = [props.prepare, props.cleanBatch, props.combine];
    const scaleOutObjects = props.cleanBucket.arnForObjects(`${SCALE_OUT_PREFIX}*`);
    this.scaleOutObjects = scaleOutObjects;

    const prepare = new LambdaStep(this, NAMES.prepare, {
      stateName: NAMES.prepare,
      comment: 'Decompresses the day file into a normalized staging CSV for the Map',
      handler: props.prepare,
      inputPath: '$.day',
      resultPath: '$.prepared',
      datePath: '$.day.date',
      retry,
      failure,
    }).task;

    const worker = new tasks.LambdaInvoke(this, 'Worker', {
      stateName: NAMES.worker,
      comment: 'Cleans one batch of staging rows into a part object',
      lambdaFunction: props.cleanBatch,
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
    });
    WORKER_RETRY.applyTo(worker);

    this.map = new NoFailureToleratedMap(this, 'Map', {
      stateName: NAMES.map,
      comment: 'Cleans the staging CSV in batches, one Express child execution per batch',
      label: NAMES.map,
      itemReader: new StagingCsvReader(scaleOutObjects),
      itemSelector: {
        index: sfn.JsonPath.numberAt('$$.Map.Item.Index'),
        row: sfn.JsonPath.objectAt('$$.Map.Item.Value'),
      },
      itemBatcher: new sfn.ItemBatcher({
        maxItemsPerBatch: settings.maxItemsPerBatch,
        maxInputBytesPerBatch: settings.maxInputBytesPerBatch,
        // Rendered as written (CDK does not resolve paths here): `key.$` marks a path.
        batchInput: {
          'date.$': '$.day.date',
          'runId.$': '$.day.runId',
          'partsPrefix.$': '$.prepared.partsPrefix',
        },
      }),
      maxConcurrency: settings.maxConcurrency,
      mapExecutionType: sfn.StateMachineType.EXPRESS,
      resultWriterV2: new StagingResultWriter(scaleOutObjects),
      resultPath: '$.map',
    });
    this.map.itemProcessor(worker);
    this.map.addRetry({
      errors: [sfn.Errors.ALL],
      maxAttempts: retry.maxAttempts,
      interval: retry.interval,
      backoffRate: retry.backoffRate,
    });
    this.map.addCatch(failure.messageFor(NAMES.map, '$.day.date'), {
      errors: [sfn.Errors.ALL],
      resultPath: CAUGHT_ERROR_PATH,
    });

    const combine = new LambdaStep(this, NAMES.combine, {
      stateName: NAMES.combine,
      comment: 'Settles users across batches and writes the day outputs; returns the CleanResult',
      handler: props.combine,
      resultPath: '$.clean',
      datePath: '$.day.date',
      retry,
      failure,
    }).task;

    prepare.next(this.map).next(combine).next(props.next);

    const mode = (value: string): sfn.Condition =>
      sfn.Condition.and(sfn.Condition.isPresent('$.mode'), sfn.Condition.stringEquals('$.mode', value));
    this.choice = new sfn.Choice(this, 'Choose', {
      stateName: NAMES.choose,
      comment: `The scale-out path for a day file above ${settings.thresholdBytes} bytes, or when the input says so`,
    })
      .when(mode(SCALE_OUT_MODES.scaleOut), prepare)
      .when(mode(SCALE_OUT_MODES.single), props.singleClean)
      .when(sfn.Condition.numberGreaterThan('$.day.source.bytes', settings.thresholdBytes), prepare)
      .otherwise(props.singleClean);
  }

  /** cdk-nag acknowledgements for what the state machine is granted to run this path. */
  acknowledgeGrants(stateMachine: sfn.StateMachine): void {
    acknowledgeInvokeGrants(
      stateMachine,
      this.functions.map((fn) => fn.functionArn),
    );
    acknowledgeWildcardResources(
      stateMachine,
      [this.scaleOutObjects],
      "The Map reads the run's staging CSV and writes its Map Run results under the scale-out prefix; " +
        'their keys carry the run id, known only at run time.',
    );
    // CDK's policy for the Distributed Map: start child executions of this machine, and describe or
    // stop the executions and Map Runs they start (names known only at run time).
    const policy = stateMachine.node.tryFindChild('DistributedMapPolicy');
    if (policy instanceof iam.Policy) {
      const document = Stack.of(policy).resolve(policy.document) as {
        Statement?: { Resource?: unknown }[];
      };
      const resources = (document.Statement ?? []).flatMap((statement) =>
        Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource],
      );
      for (const resource of resources.map(flattenReference).filter((name) => name.includes('*'))) {
        acknowledge(
          policy,
          `IAM5[Resource::${resource}]`,
          'A Distributed Map describes and stops the child executions and Map Runs of this state machine, ' +
            'whose names Step Functions assigns at run time (the policy CDK generates for it).',
        );
      }
    }
  }
}
