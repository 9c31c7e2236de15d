import {
  runSimulation,
  type EvaluationResult,
  type SimulationIdentityPolicy,
} from '@cloud-copilot/iam-simulate';
import { FAKE_ACCOUNT, FAKE_PARTITION, FakeCloud, type TemplateJson } from './fake-cloud';

/** One API call as IAM authorizes it: the action, the resource ARN (`*` when it has none), context. */
export interface Call {
  readonly action: string;
  readonly resource: string;
  /** Request context beyond the caller's identity (added by `IamSimulation`). @default none */
  readonly context?: Readonly<Record<string, string | string[]>>;
}

export type Decision = EvaluationResult;

/** Who a Lambda function is when it calls AWS: its role, and the session Lambda names after it. */
export interface FunctionIdentity {
  readonly functionId: string;
  readonly functionName: string;
  readonly roleId: string;
  readonly roleArn: string;
  /** The role's unique id (`AROA...`). */
  readonly roleUniqueId: string;
  /** `aws:userid` of the function's calls: `<role unique id>:<function name>`. */
  readonly userId: string;
  /** The assumed-role session ARN the calls are signed as. */
  readonly sessionArn: string;
}

interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: unknown[];
}

const asList = (value: unknown): unknown[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

const refTo = (value: unknown): string | undefined =>
  typeof value === 'object' && value !== null && 'Ref' in value
    ? String((value as { Ref: unknown }).Ref)
    : undefined;

/**
 * Evaluates calls made by the template's Lambda functions with the policies the template gives
 * their roles (inline, AWS::IAM::Policy and template-managed policies) and the S3 bucket policies,
 * after placing the template in a fake account (`FakeCloud`). A call is simulated as the function's
 * role session: `aws:userid` is `<role unique id>:<function name>` as for any Lambda.
 */
export class IamSimulation {
  readonly cloud: FakeCloud;

  constructor(template: TemplateJson) {
    this.cloud = new FakeCloud(template);
  }

  /** The logical id of the one function whose id starts with `prefix`. */
  functionId(prefix: string): string {
    const ids = this.cloud.idsOfType('AWS::Lambda::Function').filter((id) => id.startsWith(prefix));
    if (ids.length !== 1)
      throw new Error(`expected one function ${prefix}*, found ${ids.join(', ') || 'none'}`);
    return ids[0] as string;
  }

  identityOf(functionId: string): FunctionIdentity {
    const role = this.cloud.resource(functionId).Properties?.Role as { 'Fn::GetAtt'?: [string, string] };
    const roleId = role['Fn::GetAtt']?.[0];
    if (roleId === undefined) throw new Error(`${functionId} does not run as a role of this template`);
    const functionName = this.cloud.ref(functionId);
    const roleUniqueId = this.cloud.roleId(roleId);
    return {
      functionId,
      functionName,
      roleId,
      roleArn: this.cloud.getAtt(roleId, 'Arn'),
      roleUniqueId,
      userId: `${roleUniqueId}:${functionName}`,
      sessionArn: `arn:${FAKE_PARTITION}:sts::${FAKE_ACCOUNT}:assumed-role/${this.cloud.ref(roleId)}/${functionName}`,
    };
  }

  /** Every identity policy of the role, resolved. A policy the template cannot show fails loudly. */
  policiesOfRole(roleId: string): SimulationIdentityPolicy[] {
    const role = this.cloud.resource(roleId).Properties ?? {};
    const inline = asList(role.Policies).map((entry, index) => {
      const { PolicyName, PolicyDocument } = entry as { PolicyName?: unknown; PolicyDocument: unknown };
      return { name: `${roleId}/${String(PolicyName ?? index)}`, document: PolicyDocument };
    });
    const attached = Object.entries(this.cloud.template.Resources).flatMap(([id, resource]) => {
      const attachedToRole =
        (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') &&
        asList(resource.Properties?.Roles).some((r) => refTo(r) === roleId);
      return attachedToRole ? [{ name: id, document: resource.Properties?.PolicyDocument }] : [];
    });
    const managed = asList(role.ManagedPolicyArns).map((arn) => {
      const id = refTo(arn);
      if (id === undefined || this.cloud.resource(id).Type !== 'AWS::IAM::ManagedPolicy') {
        throw new Error(`${roleId}: managed policy ${JSON.stringify(arn)} is not in the template`);
      }
      return { name: id, document: this.cloud.resource(id).Properties?.PolicyDocument };
    });
    return [...inline, ...attached, ...managed].map(({ name, document }) => ({
      name,
      policy: this.cloud.resolve(document) as PolicyDocument,
    }));
  }

  /** The bucket policy of the bucket an S3 ARN points into, if the template has one. */
  private resourcePolicyOf(resource: string): PolicyDocument | undefined {
    const match = /^arn:[^:]+:s3:::([^/]+)/.exec(resource);
    if (!match) return undefined;
    const policies = this.cloud
      .idsOfType('AWS::S3::BucketPolicy')
      .map((id) => this.cloud.resource(id).Properties ?? {})
      .filter((p) => this.cloud.resolveString(p.Bucket) === match[1]);
    return policies[0] === undefined
      ? undefined
      : (this.cloud.resolve(policies[0].PolicyDocument) as PolicyDocument);
  }

  /** What IAM decides for `call` made by the function `functionId`. */
  async decide(functionId: string, call: Call): Promise<Decision> {
    const identity = this.identityOf(functionId);
    const result = await runSimulation(
      {
        request: {
          principal: identity.sessionArn,
          action: call.action,
          resource: { resource: call.resource, accountId: FAKE_ACCOUNT },
          contextVariables: {
            'aws:userid': identity.userId,
            'aws:PrincipalArn': identity.roleArn,
            'aws:PrincipalAccount': FAKE_ACCOUNT,
            'aws:SecureTransport': 'true',
            ...call.context,
          },
        },
        identityPolicies: this.policiesOfRole(identity.roleId),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: this.resourcePolicyOf(call.resource),
      },
      {},
    );
    if (result.resultType === 'error') {
      throw new Error(`${call.action} on ${call.resource}: ${result.errors.message}`);
    }
    if (result.resultType !== 'single') {
      throw new Error(
        `${call.action} on ${call.resource}: expected one resource, got a ${result.resultType}`,
      );
    }
    const ignored = result.result.ignoredContextKeys ?? [];
    if (ignored.length > 0) {
      // A key IAM would not see for this call would make the simulated decision meaningless.
      throw new Error(
        `${call.action} on ${call.resource}: context keys not used by IAM: ${ignored.join(', ')}`,
      );
    }
    return result.overallResult;
  }
}
