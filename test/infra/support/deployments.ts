import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import type { TemplateJson } from './fake-cloud';
import { synth } from './synth';

/**
 * The deployments the app can synthesize, by context: the checks that look at "every template"
 * (cfn-lint, asl-validator) run on each, so a construct that only appears with one setting (the
 * scale-out path, a cluster instead of a workgroup) is checked too.
 */
export const DEPLOYMENTS: readonly (readonly [string, Record<string, unknown>])[] = [
  ['the default deployment', {}],
  ['the scale-out path turned on', { scaleOut: true }],
  [
    'existing buckets and a provisioned cluster',
    {
      incomingBucketName: 'upstream-drop',
      cleanBucketName: 'analytics-clean',
      redshiftClusterId: 'analytics',
      redshiftDbUser: 'loader',
      notificationEmail: 'data-team@example.com',
      alarmEmail: 'ops@example.com',
    },
  ],
  [
    'an existing Serverless workgroup',
    { redshiftWorkgroupName: 'shared', redshiftWorkgroupId: 'a1b2c3d4-0000-1111-2222-333344445555' },
  ],
];

export interface SynthesizedDeployment {
  readonly name: string;
  /** The cloud assembly directory `app.synth()` wrote. */
  readonly directory: string;
  /** Every CloudFormation template in it: the stacks, nested stacks and nested assemblies. */
  readonly templateFiles: string[];
  /** The app's top-level stacks' templates. */
  readonly stackTemplates: TemplateJson[];
}

function templatesUnder(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return templatesUnder(full);
    return entry.name.endsWith('.template.json') ? [full] : [];
  });
}

/** Synthesizes the deployment to disk, as `cdk synth -c ...` does (fixture entries, no bundling). */
export function synthesizeDeployment(name: string, context: Record<string, unknown>): SynthesizedDeployment {
  const { app } = synth(context);
  const assembly = app.synth();
  return {
    name,
    directory: assembly.directory,
    templateFiles: templatesUnder(assembly.directory).sort(),
    stackTemplates: assembly.stacksRecursively.map((stack) => stack.template as TemplateJson),
  };
}
