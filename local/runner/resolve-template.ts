/**
 * Turns the state machine in a synthesized CloudFormation template into plain ASL JSON: the
 * `DefinitionString` (usually an `Fn::Join` around `Ref` / `Fn::GetAtt` tokens) is resolved with
 * fake local ARNs. Nothing here knows the pipeline's states beyond the names used to pick the
 * state machine.
 */

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, Json>;
}
export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
}

/** The slice of an ASL definition the runner reads. */
export interface AslState {
  readonly Type: string;
  readonly Resource?: string;
  readonly Retry?: readonly { readonly ErrorEquals: readonly string[] }[];
  readonly Catch?: readonly { readonly ErrorEquals: readonly string[]; readonly Next: string }[];
  readonly [field: string]: unknown;
}
export interface AslDefinition {
  readonly StartAt: string;
  readonly States: Record<string, AslState>;
  readonly [field: string]: unknown;
}

export class TemplateResolutionError extends Error {
  override name = 'TemplateResolutionError';
}

const PSEUDO: Record<string, string> = {
  'AWS::Region': LOCAL_REGION,
  'AWS::AccountId': LOCAL_ACCOUNT,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'local',
  'AWS::NoValue': '',
};

function arn(service: string, rest: string): string {
  return `arn:aws:${service}:${LOCAL_REGION}:${LOCAL_ACCOUNT}:${rest}`;
}

/** What `Ref` / `Fn::GetAtt` of a resource would give on AWS, with local stand-ins. */
function fakeAttribute(id: string, type: string, attribute: 'Ref' | string): string {
  switch (type) {
    case 'AWS::Lambda::Function':
      return attribute === 'Ref' ? id : arn('lambda', `function:${id}`);
    case 'AWS::Lambda::Alias':
    case 'AWS::Lambda::Version':
      return arn('lambda', `function:${id}:local`);
    case 'AWS::SNS::Topic':
      return attribute === 'TopicName' ? id : arn('sns', id);
    case 'AWS::SQS::Queue':
      return attribute === 'Arn'
        ? arn('sqs', id)
        : `https://sqs.${LOCAL_REGION}.amazonaws.com/${LOCAL_ACCOUNT}/${id}`;
    case 'AWS::S3::Bucket':
      return attribute === 'Arn' ? `arn:aws:s3:::${id.toLowerCase()}` : id.toLowerCase();
    case 'AWS::StepFunctions::StateMachine':
      return attribute === 'Name' ? id : arn('states', `stateMachine:${id}`);
    default: {
      const service = type.split('::')[1]?.toLowerCase() ?? 'local';
      return attribute === 'Ref' ? id : arn(service, id);
    }
  }
}

function resolveValue(value: Json, resources: Record<string, CfnResource>): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TemplateResolutionError(`cannot resolve ${JSON.stringify(value)} to a string`);
  }
  const [fn, arg] = Object.entries(value)[0] ?? [];
  if (fn === 'Ref' && typeof arg === 'string') {
    const pseudo = PSEUDO[arg];
    if (pseudo !== undefined) return pseudo;
    const resource = resources[arg];
    if (!resource) throw new TemplateResolutionError(`Ref to unknown resource ${arg}`);
    return fakeAttribute(arg, resource.Type, 'Ref');
  }
  if (fn === 'Fn::GetAtt') {
    const [id, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
    const resource = typeof id === 'string' ? resources[id] : undefined;
    if (!resource || typeof id !== 'string')
      throw new TemplateResolutionError(`Fn::GetAtt of unknown ${String(id)}`);
    return fakeAttribute(id, resource.Type, String(attribute));
  }
  if (fn === 'Fn::Join' && Array.isArray(arg) && typeof arg[0] === 'string' && Array.isArray(arg[1])) {
    return arg[1].map((part) => resolveValue(part, resources)).join(arg[0]);
  }
  if (fn === 'Fn::Select' && Array.isArray(arg) && Array.isArray(arg[1])) {
    const picked = arg[1][Number(arg[0])];
    if (picked === undefined)
      throw new TemplateResolutionError(`Fn::Select index ${String(arg[0])} out of range`);
    return resolveValue(picked, resources);
  }
  if (fn === 'Fn::Sub') {
    const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
    return substitute(String(text), (vars ?? {}) as Record<string, Json>, resources);
  }
  throw new TemplateResolutionError(`unsupported intrinsic ${String(fn)} in the state machine definition`);
}

/** `${Name}` / `${Name.Attr}` / `${AWS::Region}` substitution (as Fn::Sub and DefinitionSubstitutions). */
function substitute(
  text: string,
  vars: Record<string, Json>,
  resources: Record<string, CfnResource>,
): string {
  return text.replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
    const local = vars[name];
    if (local !== undefined) return resolveValue(local, resources);
    if (PSEUDO[name] !== undefined) return PSEUDO[name];
    const [id, attribute] = name.split('.');
    return resolveValue(attribute ? { 'Fn::GetAtt': [id ?? '', attribute] } : { Ref: name }, resources);
  });
}

/** A property value of the template (a string or an intrinsic) as the string it would be, locally. */
export function resolveString(value: unknown, template: CfnTemplate): string {
  return resolveValue(value as Json, template.Resources ?? {});
}

/** Every state machine in the template, with its states resolved to plain ASL. */
export function resolveStateMachines(
  template: CfnTemplate,
): { logicalId: string; definition: AslDefinition }[] {
  const resources = template.Resources ?? {};
  return Object.entries(resources)
    .filter(([, r]) => r.Type === 'AWS::StepFunctions::StateMachine')
    .map(([logicalId, r]) => {
      const props = r.Properties ?? {};
      const raw = props.DefinitionString ?? (props.Definition ? JSON.stringify(props.Definition) : undefined);
      if (raw === undefined) throw new TemplateResolutionError(`${logicalId} has no definition`);
      let text = resolveValue(raw, resources);
      const substitutions = props.DefinitionSubstitutions;
      if (substitutions && typeof substitutions === 'object' && !Array.isArray(substitutions)) {
        text = substitute(text, substitutions, resources);
      }
      return { logicalId, definition: JSON.parse(text) as AslDefinition };
    });
}

/** The one state machine whose top-level states include all of `stateNames`. */
export function findStateMachine(template: CfnTemplate, stateNames: readonly string[]): AslDefinition {
  const matches = resolveStateMachines(template).filter(({ definition }) =>
    stateNames.every((name) => name in definition.States),
  );
  if (matches.length !== 1) {
    throw new TemplateResolutionError(
      `expected one state machine with states ${stateNames.join(', ')}, found ${matches.length}`,
    );
  }
  return (matches[0] as { definition: AslDefinition }).definition;
}
