import { findDanglingReferences } from '../../scripts/lib/cfn-references';
import { parseTemplate } from '../../scripts/lib/cfn-yaml';
import { clone, FUNCTION_ID, loadTemplate, TEMPLATE_PATH, TEMPLATES } from './helpers';

// A small closed template the checker cases below each break in one place.
const BASE = `
Parameters:
  Name: { Type: String }
Conditions:
  Enabled: !Equals [!Ref Name, on]
Resources:
  Bus:
    Type: AWS::Events::EventBus
    Properties:
      Name: !Ref Name
`;

const problemsOf = (resourcesYaml: string, head = BASE): string[] =>
  findDanglingReferences(parseTemplate(`${head}${resourcesYaml}`));

describe('template references', () => {
  it.each(TEMPLATES)('every Ref, Sub variable, GetAtt, DependsOn and Condition in %s resolves', (_name, path) => {
    // Prepare
    const template = loadTemplate(path);

    // Act
    const problems = findDanglingReferences(template);

    // Assess
    expect(problems).toEqual([]);
  });

  it('reports a dangling Ref in template.yaml once its target is renamed', () => {
    // Prepare
    const template = clone(loadTemplate(TEMPLATE_PATH));
    const { GithubEventBusLogGroup, ...others } = template.Resources;
    template.Resources = { ...others, EventBusLogGroup: GithubEventBusLogGroup ?? { Type: 'AWS::Logs::LogGroup' } };

    // Act
    const problems = findDanglingReferences(template);

    // Assess
    expect(problems).toEqual([
      `Resources.${FUNCTION_ID}.Properties.LoggingConfig.LogGroup: Ref GithubEventBusLogGroup names no parameter or resource`,
      // The role's log statement names the group as well.
      expect.stringMatching(
        new RegExp(
          `^Resources\\.${FUNCTION_ID}Role\\.Properties\\.Policies\\[0\\]\\.PolicyDocument\\.Statement\\[\\d+\\]\\.Resource \\$\\{GithubEventBusLogGroup\\}: Ref GithubEventBusLogGroup names no parameter or resource$`,
        ),
      ),
      'Resources.GithubActionsEventBus.DependsOn: "GithubEventBusLogGroup" names no resource',
    ]);
  });
});

describe('findDanglingReferences', () => {
  it('accepts a closed template', () => {
    // Act
    const problems = problemsOf('');

    // Assess
    expect(problems).toEqual([]);
  });

  it('reports a Ref to an undeclared name', () => {
    // Act
    const problems = problemsOf(`
  Rule:
    Type: AWS::Events::Rule
    Properties:
      EventBusName: !Ref Buss
`);

    // Assess
    expect(problems).toEqual(['Resources.Rule.Properties.EventBusName: Ref Buss names no parameter or resource']);
  });

  it('reports a variable in Fn::Sub that names nothing', () => {
    // Act
    const problems = problemsOf(`
  Rule:
    Type: AWS::Events::Rule
    Properties:
      Description: !Sub '\${Nmae} in \${AWS::Region}, \${!Literal}'
`);

    // Assess
    expect(problems).toEqual([
      `Resources.Rule.Properties.Description \${Nmae}: Ref Nmae names no parameter or resource`,
    ]);
  });

  it("accepts Fn::Sub variables defined in the Sub's own map", () => {
    // Act
    const problems = problemsOf(`
  Rule:
    Type: AWS::Events::Rule
    Properties:
      Description: !Sub ['\${Local}', { Local: !Ref Name }]
`);

    // Assess
    expect(problems).toEqual([]);
  });

  it('reports a Resource.Attribute variable in Fn::Sub on a missing resource', () => {
    // Act
    const problems = problemsOf(`
  Rule:
    Type: AWS::Events::Rule
    Properties:
      Description: !Sub '\${Buss.Arn}'
`);

    // Assess
    expect(problems).toEqual([
      `Resources.Rule.Properties.Description \${Buss.Arn}: Fn::GetAtt Buss.Arn names no resource`,
    ]);
  });

  it('reports a GetAtt on a missing resource', () => {
    // Act
    const problems = problemsOf(`
  Rule:
    Type: AWS::Events::Rule
    Properties:
      EventBusName: !GetAtt Buss.Name
`);

    // Assess
    expect(problems).toEqual(['Resources.Rule.Properties.EventBusName: Fn::GetAtt Buss.Name names no resource']);
  });

  it('reports a GetAtt without an attribute', () => {
    // Act
    const problems = problemsOf(`
  Rule:
    Type: AWS::Events::Rule
    Properties:
      EventBusName: !GetAtt Bus
`);

    // Assess
    expect(problems).toEqual([
      'Resources.Rule.Properties.EventBusName: Fn::GetAtt needs [Resource, Attribute], got ["Bus"]',
    ]);
  });

  it('reports a DependsOn on a missing resource', () => {
    // Act
    const problems = problemsOf(`
  Rule:
    Type: AWS::Events::Rule
    DependsOn: [Bus, Queue]
`);

    // Assess
    expect(problems).toEqual(['Resources.Rule.DependsOn: "Queue" names no resource']);
  });

  it('reports an undeclared condition on a resource, an output and in Fn::If', () => {
    // Act
    const problems = problemsOf(`
  Rule:
    Type: AWS::Events::Rule
    Condition: Enabeld
    Properties:
      State: !If [Disabled, DISABLED, ENABLED]
Outputs:
  Out:
    Condition: Nope
    Value: !Ref Name
`);

    // Assess
    expect(problems).toEqual([
      'Resources.Rule.Condition: condition "Enabeld" is not declared in Conditions',
      'Resources.Rule.Properties.State.Fn::If[0]: condition "Disabled" is not declared in Conditions',
      'Outputs.Out.Condition: condition "Nope" is not declared in Conditions',
    ]);
  });

  it('reports a Ref to a resource inside Conditions, where only parameters may be named', () => {
    // Act
    const problems = problemsOf('', BASE.replace('!Equals [!Ref Name, on]', '!Equals [!Ref Bus, on]'));

    // Assess
    expect(problems).toEqual(['Conditions.Enabled.Fn::Equals[0]: Ref Bus names no parameter']);
  });

  it('accepts the SAM-generated <Function>Role of a serverless function without Role', () => {
    // Act
    const problems = problemsOf(`
  Fn:
    Type: AWS::Serverless::Function
  Rule:
    Type: AWS::Events::Rule
    DependsOn: FnRole
`);

    // Assess
    expect(problems).toEqual([]);
  });

  it('reports <Function>Role when the function brings its own Role, so SAM generates none', () => {
    // Act
    const problems = problemsOf(`
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/existing
  Rule:
    Type: AWS::Events::Rule
    DependsOn: FnRole
`);

    // Assess
    expect(problems).toEqual(['Resources.Rule.DependsOn: "FnRole" names no resource']);
  });

  it('leaves an IAM statement Condition map alone', () => {
    // Act
    const problems = problemsOf(`
  Policy:
    Type: AWS::SQS::QueuePolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Condition:
              ArnEquals:
                aws:SourceArn: !GetAtt Bus.Arn
`);

    // Assess
    expect(problems).toEqual([]);
  });
});
