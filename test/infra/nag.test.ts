import { Validations, type Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { synth } from './support/synth';

interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

function acknowledgements(stack: Stack): Acknowledgement[] {
  return stack.node.findAll().flatMap((construct: IConstruct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

/** What cdk-nag would report if nothing were acknowledged. */
function allFindings(stack: Stack): { id: string; path: string }[] {
  // isAcknowledged is the pack's (private) hook; replacing it shows the raw findings.
  const raw = new AwsSolutionsChecks();
  Reflect.set(raw, 'isAcknowledged', () => false);
  return raw
    .validateScope(stack)
    .violations.flatMap((v) =>
      v.violatingResources.map((r) => ({ id: v.ruleName, path: r.constructPath ?? '' })),
    );
}

const CONFIGURATIONS: [string, Record<string, unknown>][] = [
  ['the default deployment', {}],
  [
    'existing buckets, an existing cluster and an email subscription',
    {
      incomingBucketName: 'upstream-drop',
      cleanBucketName: 'analytics-clean',
      redshiftClusterId: 'analytics',
      redshiftDbUser: 'loader',
      notificationEmail: 'data-team@example.com',
    },
  ],
  // What the opt-in real-account test deploys (test/aws/deploy-and-run.ts).
  ['a throwaway stack that deletes its data with it', { retainData: 'false', scheduleEnabled: 'false' }],
];

describe.each(CONFIGURATIONS)('cdk-nag AwsSolutions on %s', (_name, context) => {
  const { stack } = synth(context);

  test('leaves no unacknowledged finding, error or warning', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack);
    expect(
      report.violations.map(
        (v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
      ),
    ).toEqual([]);
    expect(report.success).toBe(true);
  });

  test('acknowledges each finding with a specific reason', () => {
    const acks = acknowledgements(stack);
    expect(acks.length).toBeGreaterThan(5);
    for (const ack of acks) {
      expect(ack.id).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(ack.reason.length).toBeGreaterThanOrEqual(60);
    }
  });

  test('acknowledges nothing that is not actually found', () => {
    const findings = allFindings(stack);
    const stale = acknowledgements(stack).filter(
      (ack) =>
        !findings.some((f) => f.id === ack.id && (f.path === ack.path || f.path.startsWith(`${ack.path}/`))),
    );
    expect(stale).toEqual([]);
  });
});
