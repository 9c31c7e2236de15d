/**
 * cdk-nag acknowledgements, always for one finding on one construct, always with a reason. cdk-nag 3
 * names an IAM5 finding after the flattened resource (`Resource::<Bucket1234.Arn>/prefix/*`), so the
 * helpers here compute that name from the same token the grant used.
 */
import { Stack, Token, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Acknowledge one AwsSolutions finding on `scope` (and everything below it). */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-${id}`, reason });
}

/** Acknowledge the IAM5 wildcard finding of each resource ARN (a token or a plain string). */
export function acknowledgeWildcardResources(
  scope: IConstruct,
  resources: readonly string[],
  reason: string,
): void {
  for (const resource of resources) {
    acknowledge(scope, `IAM5[Resource::${nagResourceName(scope, resource)}]`, reason);
  }
}

/** The name cdk-nag gives a policy resource: `Ref`/`GetAtt` as `<Id>`/`<Id.Attr>`, joins flattened. */
export function nagResourceName(scope: IConstruct, resource: string): string {
  const resolved: unknown = Token.isUnresolved(resource) ? Stack.of(scope).resolve(resource) : resource;
  return flattenReference(resolved);
}

/** A resolved CloudFormation value as cdk-nag prints it (`<Id.Attr>`, `<Ref>`, joins concatenated). */
export function flattenReference(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const record = node as Record<string, unknown>;
    const join = record['Fn::Join'];
    if (Array.isArray(join)) {
      const [delimiter, items] = join as [string, unknown[]];
      return items.map(flattenReference).join(delimiter);
    }
    if ('Fn::Sub' in record) return flattenReference(record['Fn::Sub']);
    const getAtt = record['Fn::GetAtt'];
    if (Array.isArray(getAtt)) return `<${flattenReference(getAtt[0])}.${flattenReference(getAtt[1])}>`;
    if ('Fn::ImportValue' in record) return flattenReference(record['Fn::ImportValue']);
    if ('Ref' in record) return `<${flattenReference(record.Ref)}>`;
  }
  return JSON.stringify(node);
}

/** Why X-Ray's statement is `Resource: *` on every traced function and state machine. */
export const XRAY_REASON =
  'X-Ray PutTraceSegments/PutTelemetryRecords (added by tracing: ACTIVE) do not support resource-level ' +
  'permissions; AWS documents Resource "*" for them.';

/** Why a `<function arn>:*` resource is fine. */
export const INVOKE_REASON =
  'CDK grants lambda:InvokeFunction on the function and on "<function arn>:*" (its versions and aliases); ' +
  'each such grant names one function of this stack.';

/** Acknowledge the `<arn>:*` finding of each function's invoke grant held by `scope`. */
export function acknowledgeInvokeGrants(scope: IConstruct, functionArns: readonly string[]): void {
  acknowledgeWildcardResources(
    scope,
    functionArns.map((arn) => `${arn}:*`),
    INVOKE_REASON,
  );
}

/** Why a state machine's role holds `Resource: *`. */
export const STATE_MACHINE_DELIVERY_REASON =
  'Step Functions needs CloudWatch Logs vended-log delivery (logs:CreateLogDelivery, PutResourcePolicy, ...) ' +
  'and, when traced, X-Ray writes; neither supports resource-level permissions, AWS documents Resource "*".';
