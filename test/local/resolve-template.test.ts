import {
  findStateMachine,
  resolveStateMachines,
  type CfnTemplate,
} from '../../local/runner/resolve-template';

/** The shape CDK synthesizes: a DefinitionString joined around Fn::GetAtt / Ref tokens. */
const template: CfnTemplate = {
  Resources: {
    ValidateFn: { Type: 'AWS::Lambda::Function' },
    Topic: { Type: 'AWS::SNS::Topic' },
    Pipeline: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        DefinitionString: {
          'Fn::Join': [
            '',
            [
              '{"StartAt":"Validate","States":{"Validate":{"Type":"Task","Resource":"',
              { 'Fn::GetAtt': ['ValidateFn', 'Arn'] },
              '","Next":"Notify"},"Notify":{"Type":"Task","Resource":"arn:',
              { Ref: 'AWS::Partition' },
              ':states:::sns:publish","Parameters":{"TopicArn":"',
              { Ref: 'Topic' },
              '","Message.$":"$"},"End":true}}}',
            ],
          ],
        },
      },
    },
    Other: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: { DefinitionString: '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}' },
    },
  },
};

describe('resolving the synthesized state machine', () => {
  test('replaces Fn::GetAtt and Ref tokens with local ARNs', () => {
    const definition = findStateMachine(template, ['Validate']);
    expect(definition.States.Validate?.Resource).toBe(
      'arn:aws:lambda:us-east-1:000000000000:function:ValidateFn',
    );
    expect(definition.States.Notify?.Resource).toBe('arn:aws:states:::sns:publish');
    expect(definition.States.Notify?.Parameters).toEqual({
      TopicArn: 'arn:aws:sns:us-east-1:000000000000:Topic',
      'Message.$': '$',
    });
  });

  test('picks the state machine by its state names', () => {
    expect(resolveStateMachines(template)).toHaveLength(2);
    expect(findStateMachine(template, ['A']).StartAt).toBe('A');
    expect(() => findStateMachine(template, ['Load'])).toThrow(/found 0/);
  });

  test('applies DefinitionSubstitutions', () => {
    const withSubs: CfnTemplate = {
      Resources: {
        Fn: { Type: 'AWS::Lambda::Function' },
        M: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            DefinitionString:
              '{"StartAt":"Load","States":{"Load":{"Type":"Task","Resource":"${LoadArn}","End":true}}}',
            DefinitionSubstitutions: { LoadArn: { 'Fn::GetAtt': ['Fn', 'Arn'] } },
          },
        },
      },
    };
    expect(findStateMachine(withSubs, ['Load']).States.Load?.Resource).toBe(
      'arn:aws:lambda:us-east-1:000000000000:function:Fn',
    );
  });

  test('refuses an intrinsic it cannot resolve, naming it', () => {
    const bad: CfnTemplate = {
      Resources: {
        M: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: { DefinitionString: { 'Fn::ImportValue': 'x' } },
        },
      },
    };
    expect(() => resolveStateMachines(bad)).toThrow(/Fn::ImportValue/);
  });
});
