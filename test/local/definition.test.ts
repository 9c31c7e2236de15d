import {
  synthesizeFresh,
  synthesizePipeline,
  synthesizeTemplate,
  withLambdaTimeouts,
  type SynthesizedPipeline,
} from '../../local/runner/definition';
import type { AslDefinition, CfnTemplate } from '../../local/runner/resolve-template';

/**
 * The state machine as written in the template, read independently of the resolver: the
 * DefinitionString's Fn::Join parts with the partition as `aws` and every other token as a marker.
 */
function rawDefinition(template: CfnTemplate): AslDefinition {
  const machines = Object.values(template.Resources ?? {}).filter(
    (r) => r.Type === 'AWS::StepFunctions::StateMachine',
  );
  const definitions = machines.map((m) => {
    const join = (m.Properties?.DefinitionString as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
    const token = (part: unknown): string =>
      JSON.stringify(part) === '{"Ref":"AWS::Partition"}' ? 'aws' : '<token>';
    const text = join[1].map((part) => (typeof part === 'string' ? part : token(part))).join(join[0]);
    return JSON.parse(text) as AslDefinition;
  });
  const ours = definitions.filter((d) => ['Validate', 'Clean', 'Load'].every((s) => s in d.States));
  expect(ours).toHaveLength(1);
  return ours[0] as AslDefinition;
}

/** Replaces ARNs (resolved or as tokens) by one marker, to compare the rest field by field. */
function withoutArns(definition: AslDefinition): unknown {
  return JSON.parse(JSON.stringify(definition), (_, value: unknown) =>
    typeof value === 'string' && (value.includes('<token>') || /^arn:aws:(lambda|sns):/.test(value))
      ? '<arn>'
      : value,
  );
}

describe('the state machine the local runner executes', () => {
  let pipeline: SynthesizedPipeline;
  beforeAll(() => {
    pipeline = synthesizePipeline();
  });

  test('comes from the on-disk cache only when it equals a fresh synthesis of the app', () => {
    expect(synthesizeTemplate()).toEqual(synthesizeFresh());
  });

  test('is the synthesized definition: same states, fields and transitions, with local ARNs', () => {
    expect(withoutArns(pipeline.definition)).toEqual(withoutArns(rawDefinition(pipeline.template)));
  });

  test('keeps the Retry and Catch blocks of every step', () => {
    const raw = rawDefinition(pipeline.template);
    for (const step of ['Validate', 'Clean', 'Load']) {
      expect(pipeline.definition.States[step]?.Retry?.length).toBeGreaterThan(0);
      expect(pipeline.definition.States[step]?.Retry).toEqual(raw.States[step]?.Retry);
      expect(pipeline.definition.States[step]?.Catch).toEqual(raw.States[step]?.Catch);
    }
  });

  test('points each step at a Lambda function of the template', () => {
    for (const step of ['Validate', 'Clean', 'Load']) {
      const arn = pipeline.definition.States[step]?.Resource ?? '';
      const logicalId = /function:(.+)$/.exec(arn)?.[1] ?? '';
      expect(pipeline.template.Resources?.[logicalId]?.Type).toBe('AWS::Lambda::Function');
    }
  });

  test("gives the steps the synthesized functions' environment", () => {
    expect(pipeline.environment.Clean).toMatchObject({
      INCOMING_PREFIX: 'user-data/',
      CLEAN_PREFIX: 'user-data-clean/',
    });
    expect(Number(pipeline.environment.Clean.REJECTED_THRESHOLD)).toBe(0.01);
  });

  test("runs each step bounded by its function's timeout, as on AWS (the local engine's default is 60 s)", () => {
    const local = withLambdaTimeouts(pipeline);
    for (const step of ['Validate', 'Clean', 'Load']) {
      const logicalId = /function:(.+)$/.exec(pipeline.definition.States[step]?.Resource ?? '')?.[1] ?? '';
      const timeout = pipeline.template.Resources?.[logicalId]?.Properties?.Timeout;
      expect(local.States[step]?.TimeoutSeconds).toBe(
        pipeline.definition.States[step]?.TimeoutSeconds ?? timeout,
      );
    }
    expect({ ...local, States: {} }).toEqual({ ...pipeline.definition, States: {} });
  });
});
