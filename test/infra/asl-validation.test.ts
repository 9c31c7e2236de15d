/**
 * asl-validator (the Amazon States Language schema plus path, ARN and transition checks) on every
 * state machine of every deployment the app synthesizes, its DefinitionString resolved with the
 * fake account's ARNs (test/infra/support/fake-cloud.ts) as CloudFormation would resolve it.
 */
import { validateAsl } from './support/asl-validator';
import { DEPLOYMENTS } from './support/deployments';
import { FakeCloud, type TemplateJson } from './support/fake-cloud';
import { synth } from './support/synth';

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

describe.each(DEPLOYMENTS)('%s', (_name, context) => {
  test('every state machine definition is valid Amazon States Language', () => {
    const template = synth(context).template.toJSON() as TemplateJson;
    const machines = definitions(template);
    expect(machines.length).toBeGreaterThanOrEqual(3); // daily, back-fill, the migrations' waiter
    const invalid = machines
      .map(([id, definition]) => [id, validateAsl(definition)] as const)
      .filter(([, result]) => !result.isValid)
      .map(([id, result]) => `${id}: ${result.errorsText('; ')}`);
    expect(invalid).toEqual([]);
  });
});

test('the validator rejects a definition whose Next names no state (the check can fail)', () => {
  const template = synth().template.toJSON() as TemplateJson;
  const [, definition] = definitions(template).find(([id]) => id.startsWith('WorkflowStateMachine')) ?? [];
  const broken = structuredClone(definition) as {
    StartAt: string;
    States: Record<string, { Next?: string }>;
  };
  const first = broken.States[broken.StartAt];
  if (!first) throw new Error('no start state');
  first.Next = 'NoSuchState';
  expect(validateAsl(broken).isValid).toBe(false);
});
