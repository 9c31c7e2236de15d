/**
 * The checks on every template the app synthesizes, each deployment (support/deployments.ts)
 * synthesized once for all of them:
 * - cfn-lint (https://github.com/aws-cloudformation/cfn-lint), in one run over every template. It is
 *   installed on the team's machines and CI, not on a user's laptop: without it that test is a
 *   visible skip, except under CI=true, where a missing cfn-lint fails it.
 * - asl-validator (the Amazon States Language schema plus path, ARN and transition checks) on every
 *   state machine, its DefinitionString resolved with the fake account's ARNs
 *   (test/infra/support/fake-cloud.ts) as CloudFormation would resolve it.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { validateAsl } from './support/asl-validator';
import { DEPLOYMENTS, synthesizeDeployment, type SynthesizedDeployment } from './support/deployments';
import { FakeCloud, type TemplateJson } from './support/fake-cloud';

/**
 * Warnings we accept, each with why. Anything else cfn-lint reports fails the test (so a new
 * warning gets a reason here or a fix in lib/).
 */
const DOCUMENTED_WARNINGS: Record<string, string> = {
  W3005:
    "CDK lists a function's or state machine's role in its DependsOn (next to the role's default policy, so " +
    'the policy exists before the function can run) while `Role: Fn::GetAtt` already implies it; the ' +
    'redundant entry is harmless.',
};

interface Finding {
  readonly Rule: { readonly Id: string };
  readonly Level: 'Error' | 'Warning' | 'Informational';
  readonly Message: string;
  readonly Filename: string;
}

const version = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
const installed = version.status === 0;
const inCi = process.env.CI === 'true';
const name = installed
  ? `cfn-lint (${version.stdout.trim()}) finds no error in any synthesized template`
  : inCi
    ? 'cfn-lint finds no error in any synthesized template (cfn-lint is missing, and CI=true requires it)'
    : 'cfn-lint finds no error in any synthesized template (skipped: cfn-lint is not installed; pip install cfn-lint)';

let deployments: SynthesizedDeployment[] = [];
beforeAll(() => {
  deployments = DEPLOYMENTS.map(([deployment, context]) => synthesizeDeployment(deployment, context));
}, 300_000); // four synths: seconds each, minutes on a busy 2-core machine
afterAll(() => {
  for (const { directory } of deployments) rmSync(directory, { recursive: true, force: true });
});

/** The deployment's one stack template. */
function templateOf(name: string): TemplateJson {
  const [template, ...others] = deployments.find((d) => d.name === name)?.stackTemplates ?? [];
  if (!template || others.length > 0) throw new Error(`${name}: expected one stack template`);
  return template;
}

/** Each state machine's definition as deployed: DefinitionString resolved, substitutions applied. */
function definitions(template: TemplateJson): [string, unknown][] {
  const cloud = new FakeCloud(template);
  return cloud.idsOfType('AWS::StepFunctions::StateMachine').map((id) => {
    const props = cloud.resource(id).Properties ?? {};
    let text = cloud.resolveString(props.DefinitionString);
    const substitutions = (cloud.resolve(props.DefinitionSubstitutions) ?? {}) as Record<string, string>;
    for (const [key, value] of Object.entries(substitutions)) text = text.split(`\${${key}}`).join(value);
    return [id, JSON.parse(text) as unknown];
  });
}

describe.each(DEPLOYMENTS)('%s', (name) => {
  test('every state machine definition is valid Amazon States Language', () => {
    const machines = definitions(templateOf(name));
    expect(machines.length).toBeGreaterThanOrEqual(3); // daily, back-fill, the migrations' waiter
    const invalid = machines
      .map(([id, definition]) => [id, validateAsl(definition)] as const)
      .filter(([, result]) => !result.isValid)
      .map(([id, result]) => `${id}: ${result.errorsText('; ')}`);
    expect(invalid).toEqual([]);
  });
});

test('the validator rejects a definition whose Next names no state (the check can fail)', () => {
  const [defaultDeployment] = DEPLOYMENTS[0] ?? [];
  const [, definition] =
    definitions(templateOf(defaultDeployment ?? '')).find(([id]) => id.startsWith('WorkflowStateMachine')) ??
    [];
  const broken = structuredClone(definition) as {
    StartAt: string;
    States: Record<string, { Next?: string }>;
  };
  const first = broken.States[broken.StartAt];
  if (!first) throw new Error('no start state');
  first.Next = 'NoSuchState';
  expect(validateAsl(broken).isValid).toBe(false);
});

(installed || inCi ? test : test.skip)(
  name,
  () => {
    if (!installed) throw new Error(`cfn-lint is not on PATH (${version.error?.message ?? version.stderr})`);
    const files = deployments.flatMap((d) => d.templateFiles);
    expect(deployments.map((d) => d.templateFiles.length)).toEqual(DEPLOYMENTS.map(() => 1));

    const lint = spawnSync('cfn-lint', ['--format', 'json', '--', ...files], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    // Exit status is a bit mask (2 errors, 4 warnings, 8 informational); the JSON says which.
    expect(lint.stderr).toBe('');
    const findings = JSON.parse(lint.stdout) as Finding[];
    const describe = (f: Finding) => `${f.Rule.Id} ${f.Message} (${f.Filename})`;

    const warnings = findings.filter((f) => f.Level === 'Warning');
    const counts = Object.entries(
      warnings.reduce<Record<string, number>>(
        (acc, f) => ({ ...acc, [f.Rule.Id]: (acc[f.Rule.Id] ?? 0) + 1 }),
        {},
      ),
    );
    process.stdout.write(
      `cfn-lint on ${files.length} templates: ${findings.filter((f) => f.Level === 'Error').length} errors, ` +
        `${warnings.length} warnings (${counts.map(([id, n]) => `${id} x${n}: ${DOCUMENTED_WARNINGS[id] ?? 'UNDOCUMENTED'}`).join('; ') || 'none'})\n`,
    );
    expect(findings.filter((f) => f.Level === 'Error').map(describe)).toEqual([]);
    expect(warnings.filter((f) => !(f.Rule.Id in DOCUMENTED_WARNINGS)).map(describe)).toEqual([]);
  },
  300_000,
);
