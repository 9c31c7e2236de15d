import type { Template } from 'aws-cdk-lib/assertions';

export interface AslState {
  readonly Type: string;
  readonly Resource?: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly InputPath?: string;
  readonly ResultPath?: string | null;
  readonly OutputPath?: string;
  readonly Parameters?: Record<string, unknown>;
  readonly Retry?: readonly Record<string, unknown>[];
  readonly Catch?: readonly { ErrorEquals: string[]; ResultPath?: string; Next: string }[];
  readonly [field: string]: unknown;
}

export interface AslDefinition {
  readonly StartAt: string;
  readonly States: Record<string, AslState>;
}

/**
 * A CloudFormation reference as a readable stand-in: `Fn::GetAtt [Id, Arn]` -> `arn:<Id>`,
 * `Ref Id` -> `ref:<Id>`, `Ref AWS::Partition` -> `aws`; anything else is unexpected in a definition.
 */
function placeholder(part: unknown): string {
  if (typeof part === 'string') return part;
  const ref = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  if (ref['Fn::GetAtt']) return `arn:${ref['Fn::GetAtt'][0]}`;
  if (ref.Ref === 'AWS::Partition') return 'aws';
  if (ref.Ref) return `ref:${ref.Ref}`;
  throw new Error(`unexpected token in DefinitionString: ${JSON.stringify(part)}`);
}

/** The ASL of the one state machine whose logical id starts with `prefix`, with Fn::Join resolved. */
export function definitionOf(template: Template, prefix = 'Workflow'): AslDefinition {
  const machines = Object.entries(template.findResources('AWS::StepFunctions::StateMachine')).filter(([id]) =>
    id.startsWith(prefix),
  );
  if (machines.length !== 1)
    throw new Error(`expected one state machine ${prefix}*, found ${machines.length}`);
  const [, machine] = machines[0] as [string, { Properties: { DefinitionString: unknown } }];
  const body = machine.Properties.DefinitionString as string | { 'Fn::Join': [string, unknown[]] };
  const text =
    typeof body === 'string' ? body : body['Fn::Join'][1].map(placeholder).join(body['Fn::Join'][0]);
  return JSON.parse(text) as AslDefinition;
}

/** The logical id of the one resource of `type` whose id starts with `prefix`. */
export function logicalId(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1) throw new Error(`expected one ${type} ${prefix}*, found ${ids.join(', ') || 'none'}`);
  return ids[0] as string;
}
