/**
 * cfn-lint (https://github.com/aws-cloudformation/cfn-lint) on every template the app synthesizes.
 * It is installed on the team's machines and CI, not on a user's laptop: without it this test is a
 * visible skip, except under CI=true, where a missing cfn-lint fails it.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { DEPLOYMENTS, synthesizeDeployment } from './support/deployments';

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

let assemblies: string[] = [];
afterAll(() => {
  for (const directory of assemblies) rmSync(directory, { recursive: true, force: true });
});

(installed || inCi ? test : test.skip)(
  name,
  () => {
    if (!installed) throw new Error(`cfn-lint is not on PATH (${version.error?.message ?? version.stderr})`);
    const deployments = DEPLOYMENTS.map(([deployment, context]) => synthesizeDeployment(deployment, context));
    assemblies = deployments.map((d) => d.directory);
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
