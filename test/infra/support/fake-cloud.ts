import { createHash } from 'node:crypto';

/** The fake account the synthesized template is "deployed" into for the offline checks. */
export const FAKE_ACCOUNT = '111122223333';
export const FAKE_REGION = 'eu-west-1';
export const FAKE_PARTITION = 'aws';

export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

/** The parts of a synthesized CloudFormation template the offline checks read. */
export interface TemplateJson {
  readonly Resources: Record<string, TemplateResource>;
}

const PSEUDO: Record<string, string> = {
  'AWS::AccountId': FAKE_ACCOUNT,
  'AWS::Region': FAKE_REGION,
  'AWS::Partition': FAKE_PARTITION,
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::NoValue': '',
};

/** A stable fake hex id for a logical id (the same id gives the same value in every run). */
function digest(logicalId: string, length: number): string {
  return createHash('sha256').update(logicalId).digest('hex').slice(0, length);
}

function uuidOf(logicalId: string): string {
  const hex = digest(logicalId, 32);
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
}

const arn = (service: string, resource: string, region = FAKE_REGION, account = FAKE_ACCOUNT): string =>
  `arn:${FAKE_PARTITION}:${service}:${region}:${account}:${resource}`;

/**
 * The template as if CloudFormation had created it in a fake account: every `Ref`, `Fn::GetAtt`,
 * `Fn::Join`, `Fn::Sub`, `Fn::Select` and `Fn::Split` becomes a concrete value, with the physical
 * name the template sets or one derived from the logical id, so policies and state machine
 * definitions can be evaluated as AWS would see them.
 */
export class FakeCloud {
  constructor(
    readonly template: TemplateJson,
    readonly stackName = 'SearchStats',
  ) {}

  resource(logicalId: string): TemplateResource {
    const found = this.template.Resources[logicalId];
    if (!found) throw new Error(`no resource ${logicalId} in the template`);
    return found;
  }

  /** The logical ids of the resources of one type. */
  idsOfType(type: string): string[] {
    return Object.entries(this.template.Resources)
      .filter(([, r]) => r.Type === type)
      .map(([id]) => id);
  }

  /** A physical name: the template's own when it sets one, else `<stack>-<logical id>` as CFN would. */
  private name(logicalId: string, property: string, maxLength = 64, lower = false): string {
    const own = this.resource(logicalId).Properties?.[property];
    if (own !== undefined) return this.resolveString(own);
    const generated = `${this.stackName}-${logicalId}`.slice(0, maxLength);
    return lower ? generated.toLowerCase() : generated;
  }

  /** What `Ref` returns for a resource or pseudo parameter. */
  ref(logicalId: string): string {
    const pseudo = PSEUDO[logicalId];
    if (pseudo !== undefined) return pseudo;
    if (logicalId === 'AWS::StackName') return this.stackName;
    if (logicalId === 'AWS::StackId')
      return arn('cloudformation', `stack/${this.stackName}/${uuidOf(this.stackName)}`);
    const { Type: type } = this.resource(logicalId);
    switch (type) {
      case 'AWS::S3::Bucket':
        return this.name(logicalId, 'BucketName', 63, true);
      case 'AWS::Lambda::Function':
        return this.name(logicalId, 'FunctionName');
      case 'AWS::IAM::Role':
        return this.name(logicalId, 'RoleName');
      case 'AWS::IAM::ManagedPolicy':
        return `arn:${FAKE_PARTITION}:iam::${FAKE_ACCOUNT}:policy/${this.name(logicalId, 'ManagedPolicyName')}`;
      case 'AWS::StepFunctions::StateMachine':
        return arn('states', `stateMachine:${this.name(logicalId, 'StateMachineName', 80)}`);
      case 'AWS::SNS::Topic':
        return arn('sns', this.name(logicalId, 'TopicName', 256));
      case 'AWS::KMS::Key':
        return uuidOf(logicalId);
      case 'AWS::Logs::LogGroup':
        return this.name(logicalId, 'LogGroupName', 512);
      case 'AWS::RedshiftServerless::Workgroup':
        return this.name(logicalId, 'WorkgroupName', 64, true);
      case 'AWS::RedshiftServerless::Namespace':
        return this.name(logicalId, 'NamespaceName', 64, true);
      default:
        return `${this.stackName}-${logicalId}`;
    }
  }

  /** What `Fn::GetAtt [logicalId, attribute]` returns. */
  getAtt(logicalId: string, attribute: string): string {
    const { Type: type } = this.resource(logicalId);
    const key = `${type}.${attribute}`;
    switch (key) {
      case 'AWS::S3::Bucket.Arn':
        return `arn:${FAKE_PARTITION}:s3:::${this.ref(logicalId)}`;
      case 'AWS::Lambda::Function.Arn':
        return arn('lambda', `function:${this.ref(logicalId)}`);
      case 'AWS::IAM::Role.Arn':
        return `arn:${FAKE_PARTITION}:iam::${FAKE_ACCOUNT}:role/${this.ref(logicalId)}`;
      case 'AWS::IAM::Role.RoleId':
        return this.roleId(logicalId);
      case 'AWS::StepFunctions::StateMachine.Arn':
        return this.ref(logicalId);
      case 'AWS::StepFunctions::StateMachine.Name':
        return this.name(logicalId, 'StateMachineName', 80);
      case 'AWS::SNS::Topic.TopicArn':
        return this.ref(logicalId);
      case 'AWS::KMS::Key.Arn':
        return arn('kms', `key/${this.ref(logicalId)}`);
      case 'AWS::Logs::LogGroup.Arn':
        return arn('logs', `log-group:${this.ref(logicalId)}:*`);
      case 'AWS::RedshiftServerless::Workgroup.Workgroup.WorkgroupName':
        return this.ref(logicalId);
      case 'AWS::RedshiftServerless::Workgroup.Workgroup.WorkgroupId':
        return uuidOf(logicalId);
      case 'AWS::RedshiftServerless::Workgroup.Workgroup.WorkgroupArn':
        return arn('redshift-serverless', `workgroup/${uuidOf(logicalId)}`);
      case 'AWS::RedshiftServerless::Namespace.Namespace.NamespaceName':
        return this.ref(logicalId);
      case 'AWS::RedshiftServerless::Namespace.Namespace.NamespaceId':
        return uuidOf(logicalId);
      case 'AWS::RedshiftServerless::Namespace.Namespace.NamespaceArn':
        return arn('redshift-serverless', `namespace/${uuidOf(logicalId)}`);
      default: {
        if (!/Arn$/.test(attribute)) return `${this.stackName}-${logicalId}-${attribute}`;
        const service = (type.split('::')[1] ?? 'unknown').toLowerCase();
        return arn(service, `${logicalId}`);
      }
    }
  }

  /** A role's unique id as IAM shows it (`AROA` + 17 characters), fixed per logical id. */
  roleId(logicalId: string): string {
    return `AROA${digest(logicalId, 17).toUpperCase()}`;
  }

  /** The value with every intrinsic function replaced by its fake result. */
  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((item) => this.resolve(item));
    if (value === null || typeof value !== 'object') return value;
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    const [only] = keys;
    if (keys.length === 1 && only !== undefined && (only === 'Ref' || only.startsWith('Fn::'))) {
      return this.intrinsic(only, record[only]);
    }
    return Object.fromEntries(keys.map((key) => [key, this.resolve(record[key])]));
  }

  resolveString(value: unknown): string {
    const resolved = this.resolve(value);
    if (typeof resolved !== 'string') throw new Error(`expected a string, got ${JSON.stringify(resolved)}`);
    return resolved;
  }

  private intrinsic(name: string, argument: unknown): unknown {
    switch (name) {
      case 'Ref':
        return this.ref(argument as string);
      case 'Fn::GetAtt': {
        const [id, attribute] =
          typeof argument === 'string' ? argument.split(/\.(.*)/s) : (argument as [string, string]);
        return this.getAtt(id as string, attribute as string);
      }
      case 'Fn::Join': {
        const [delimiter, items] = argument as [string, unknown[]];
        return (this.resolve(items) as unknown[]).map(String).join(delimiter);
      }
      case 'Fn::Select': {
        const [index, items] = argument as [number | string, unknown];
        const list = this.resolve(items) as unknown[];
        return list[Number(index)];
      }
      case 'Fn::Split': {
        const [delimiter, text] = argument as [string, unknown];
        return this.resolveString(text).split(delimiter);
      }
      case 'Fn::Sub': {
        const [text, variables] =
          typeof argument === 'string' ? [argument, {}] : (argument as [string, Record<string, unknown>]);
        return text.replace(/\$\{(!?)([^}]*)\}/g, (_match, literal: string, variable: string) => {
          if (literal === '!') return `\${${variable}}`;
          if (variable in variables) return this.resolveString(variables[variable]);
          const dot = variable.indexOf('.');
          return dot > 0 && !variable.startsWith('AWS::')
            ? this.getAtt(variable.slice(0, dot), variable.slice(dot + 1))
            : this.ref(variable);
        });
      }
      default:
        throw new Error(`${name} is not supported by the fake cloud`);
    }
  }
}
