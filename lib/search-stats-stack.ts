import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { FailedRunsAlarm, RejectedShareAlarm, StaleDataAlarm } from './alarms';
import { AnalystAccess } from './analyst-access';
import { PipelineDashboard } from './dashboard';
import { readPipelineSettings, type PipelineSettings } from './context-settings';
import { WarehouseClientRole } from './warehouse-client-role';
import { DEFAULT_OUTPUT_PREFIXES, type DataLayout } from './data-layout';
import { DEFAULT_ENTRIES, DEFAULT_SQL_DIRECTORY, PipelineFunctions, type LambdaEntries } from './functions';
import { SchemaMigrations } from './migrations';
import { FailureTopic } from './notifications';
import { DailySchedule } from './schedule';
import { PipelineStorage } from './storage';
import { RunTrigger } from './trigger';
import { Warehouse } from './warehouse';
import { BackfillWorkflow, backfillConcurrencyFromContext } from './workflow/backfill-workflow';
import { DailyWorkflow } from './workflow/daily-workflow';
import { ScaleOutFunctions } from './workflow/scale-out-functions';
import { scaleOutSettingsFromContext } from './workflow/scale-out-settings';
import type { RetryPolicyProps } from './workflow/retry-policy';

export interface SearchStatsStackProps extends StackProps {
  /** @default read from the CDK context (see lib/context-settings.ts) */
  readonly settings?: PipelineSettings;
  /** Lambda entry files, e.g. test fixtures. @default DEFAULT_ENTRIES (lambdas/<step>/handler.ts) */
  readonly entries?: Partial<LambdaEntries>;
  /** The `sql/` folder (schema/*.sql run at deploy; bundled into load and migrate). @default <repo>/sql */
  readonly sqlDirectory?: string;
  /** @default 3 retries, 300 s apart, backoff 1; NON_RETRYABLE_ERRORS fail at once */
  readonly retry?: RetryPolicyProps;
}

/**
 * The daily search-stats pipeline: buckets, warehouse, tables, step functions, the state machine,
 * its schedule, the failure topic and the alarm. Each piece is its own construct; this class only
 * wires what one exposes into the next.
 */
export class SearchStatsStack extends Stack {
  readonly settings: PipelineSettings;
  readonly storage: PipelineStorage;
  readonly warehouse: Warehouse;
  readonly functions: PipelineFunctions;
  readonly migrations: SchemaMigrations;
  /** The analysts' read path: a managed policy for their IAM identity (and the database role it needs). */
  readonly analystAccess: AnalystAccess;
  readonly workflow: DailyWorkflow;
  /** The scale-out path's functions, when the context turns it on (lib/workflow/scale-out-settings.ts). */
  readonly scaleOut?: ScaleOutFunctions;
  /** Back-fills a range: one child execution of the daily machine per day. */
  readonly backfill: BackfillWorkflow;
  readonly failureTopic: FailureTopic;
  readonly alarmTopic: FailureTopic;
  /** Starts the daily runs: the schedule's and each day file arrival's (lib/trigger.ts). */
  readonly trigger: RunTrigger;
  /** The operations dashboard (lib/dashboard.ts). */
  readonly dashboard: PipelineDashboard;

  constructor(scope: Construct, id: string, props: SearchStatsStackProps = {}) {
    super(scope, id, {
      description: 'search-stats: daily S3 -> Step Functions + Lambda -> Redshift pipeline',
      ...props,
    });
    const settings = props.settings ?? readPipelineSettings(this.node);
    this.settings = settings;
    const logRetention = settings.logRetentionDays as logs.RetentionDays;
    // Data (buckets, warehouse, the topics' keys) outlives the stack unless the context says otherwise.
    const dataRemovalPolicy = settings.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const sqlDirectory = props.sqlDirectory ?? DEFAULT_SQL_DIRECTORY;
    const layout: DataLayout = {
      incomingPrefix: settings.incomingPrefix,
      cleanPrefix: settings.cleanPrefix,
      ...DEFAULT_OUTPUT_PREFIXES,
    };

    this.storage = new PipelineStorage(this, 'Storage', {
      incomingBucketName: settings.incomingBucketName,
      cleanBucketName: settings.cleanBucketName,
      removalPolicy: dataRemovalPolicy,
    });
    this.warehouse = new Warehouse(this, 'Warehouse', {
      settings: settings.warehouse,
      cleanBucket: this.storage.cleanBucket,
      copyPrefix: layout.validSearchesPrefix,
      removalPolicy: dataRemovalPolicy,
    });
    const sqlRunner = new WarehouseClientRole(this, 'WarehouseClient', this.warehouse.target);
    this.functions = new PipelineFunctions(this, 'Functions', {
      incomingBucket: this.storage.incomingBucket,
      cleanBucket: this.storage.cleanBucket,
      layout,
      rejectedThreshold: settings.rejectedThreshold,
      volumeGuard: { minShare: settings.volumeMinShare, lookbackDays: settings.volumeLookbackDays },
      codeVersion: settings.codeVersion,
      warehouse: this.warehouse.target,
      loadRole: sqlRunner.role,
      logRetention,
      entries: props.entries,
      sqlDirectory,
    });
    this.migrations = new SchemaMigrations(this, 'Migrations', {
      entry: props.entries?.migrate ?? DEFAULT_ENTRIES.migrate,
      sqlDirectory,
      target: this.warehouse.target,
      role: sqlRunner.role,
      dependsOn: [sqlRunner, ...(this.warehouse.workgroup ? [this.warehouse.workgroup] : [])],
      logRetention,
    });
    this.analystAccess = new AnalystAccess(this, 'AnalystAccess', { target: this.warehouse.target });

    this.failureTopic = new FailureTopic(this, 'Failures', {
      email: settings.notificationEmail,
      keyRemovalPolicy: dataRemovalPolicy,
    });
    const scaleOutSettings = scaleOutSettingsFromContext(this.node);
    if (scaleOutSettings) {
      this.scaleOut = new ScaleOutFunctions(this, 'ScaleOut', {
        incomingBucket: this.storage.incomingBucket,
        cleanBucket: this.storage.cleanBucket,
        layout,
        environment: this.functions.environment,
        logRetention,
      });
    }
    this.workflow = new DailyWorkflow(this, 'Workflow', {
      validate: this.functions.validate.function,
      clean: this.functions.clean.function,
      load: this.functions.load.function,
      topic: this.failureTopic.topic,
      retry: props.retry,
      logRetention,
      ...(this.scaleOut && scaleOutSettings
        ? {
            scaleOut: {
              prepare: this.scaleOut.prepare.function,
              cleanBatch: this.scaleOut.cleanBatch.function,
              combine: this.scaleOut.combine.function,
              cleanBucket: this.storage.cleanBucket,
              settings: scaleOutSettings,
            },
          }
        : {}),
    });
    this.failureTopic.grantPublish(this.workflow.stateMachine);
    // The alarm has its own topic: the workflow already announces each failed day once on the
    // failure topic, and the alarm also sees failures the workflow's Catch cannot.
    this.alarmTopic = new FailureTopic(this, 'Alarms', {
      email: settings.alarmEmail,
      displayName: 'search-stats operations alarms',
      keyRemovalPolicy: dataRemovalPolicy,
    });
    this.trigger = new RunTrigger(this, 'Trigger', {
      incomingBucket: this.storage.incomingBucket,
      incomingPrefix: layout.incomingPrefix,
      stateMachine: this.workflow.stateMachine,
      topic: this.alarmTopic.topic,
      bucketSendsEvents: settings.incomingBucketName === undefined,
      logRetention,
      ...(props.entries?.trigger === undefined ? {} : { entry: props.entries.trigger }),
    });
    const schedule = new DailySchedule(this, 'Schedule', {
      trigger: this.trigger.function,
      targetOptions: this.trigger.targetOptions(),
      cron: settings.scheduleCron,
      enabled: settings.scheduleEnabled,
    });
    // No run before the tables exist (the schedule's, or an arrival's).
    schedule.node.addDependency(this.migrations);
    this.trigger.rule.node.addDependency(this.migrations);
    const failedRuns = new FailedRunsAlarm(this, 'FailedRuns', {
      stateMachine: this.workflow.stateMachine,
      topic: this.alarmTopic.topic,
    });
    const staleData = new StaleDataAlarm(this, 'StaleData', { topic: this.alarmTopic.topic });
    const rejectedShare = new RejectedShareAlarm(this, 'RejectedShare', {
      topic: this.alarmTopic.topic,
      warningThreshold: settings.rejectedWarningThreshold,
    });

    this.backfill = new BackfillWorkflow(this, 'Backfill', {
      daily: this.workflow.stateMachine,
      maxConcurrency: backfillConcurrencyFromContext(this.node),
      logRetention,
    });

    this.dashboard = new PipelineDashboard(this, 'Operations', {
      daily: this.workflow.stateMachine,
      backfill: this.backfill.stateMachine,
      functions: {
        validate: this.functions.validate.function,
        clean: this.functions.clean.function,
        load: this.functions.load.function,
      },
      rejectedThreshold: settings.rejectedThreshold,
      rejectedWarningThreshold: settings.rejectedWarningThreshold,
      alarms: [failedRuns.alarm, staleData.alarm, rejectedShare.alarm, this.trigger.deadLettersAlarm],
    });

    new CfnOutput(this, 'StateMachineArn', { value: this.workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'BackfillStateMachineArn', { value: this.backfill.stateMachine.stateMachineArn });
    new CfnOutput(this, 'IncomingBucketName', { value: this.storage.incomingBucket.bucketName });
    new CfnOutput(this, 'CleanBucketName', { value: this.storage.cleanBucket.bucketName });
    new CfnOutput(this, 'FailureTopicArn', { value: this.failureTopic.topic.topicArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topic.topicArn });
    new CfnOutput(this, 'AnalystPolicyArn', {
      value: this.analystAccess.policy.managedPolicyArn,
      description:
        "Attach to an analyst's IAM role or user to query the tables through the Data API; " +
        `it also needs the database role ${this.analystAccess.readerDatabaseRole} (README "Querying")`,
    });
    new CfnOutput(this, 'ReaderDatabaseRole', {
      value: this.analystAccess.readerDatabaseRole,
      description: 'Database role with SELECT on the pipeline tables (Serverless: IAM tag RedshiftDbRoles)',
    });
    const target = this.warehouse.target;
    new CfnOutput(this, 'WarehouseName', {
      value: target.kind === 'serverless' ? target.workgroupName : target.clusterIdentifier,
      description: `Redshift ${target.kind === 'serverless' ? 'Serverless workgroup' : 'cluster'}, database ${target.database}`,
    });
  }
}
