import type { Template } from 'aws-cdk-lib/assertions';

export interface Statement {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, unknown>;
  readonly Sid?: string;
}

interface PolicyResource {
  readonly Properties: {
    readonly PolicyDocument: { readonly Statement: Statement[] };
    readonly Roles?: { Ref: string }[];
  };
}

/** Every statement of every AWS::IAM::Policy attached to the role. */
export function statementsOfRole(template: Template, roleId: string): Statement[] {
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as PolicyResource[];
  return policies
    .filter((policy) => (policy.Properties.Roles ?? []).some((role) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

export function actionsOf(statement: Statement): string[] {
  return typeof statement.Action === 'string' ? [statement.Action] : statement.Action;
}

/** The sorted, de-duplicated actions the role is granted. */
export function actionsOfRole(template: Template, roleId: string): string[] {
  return [...new Set(statementsOfRole(template, roleId).flatMap(actionsOf))].sort();
}

/** The role a Lambda function runs as (its `Role: Fn::GetAtt [RoleId, Arn]`). */
export function roleOfFunction(template: Template, functionId: string): string {
  const fn = template.toJSON().Resources[functionId] as {
    Properties: { Role: { 'Fn::GetAtt': [string, string] } };
  };
  return fn.Properties.Role['Fn::GetAtt'][0];
}
