import { synthesizeTemplate } from '../../local/runner/definition';
import type { CfnTemplate } from '../../local/runner/resolve-template';
import { dashboardLayout, DashboardBodyError, renderDashboardPreview } from '../../local/dashboard';
import { pipelineResources } from '../../local/dashboard/local-data';
import { widgetAttributes } from './support/page';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * The synthesized DashboardBody parsed here on its own: every token in the Fn::Join replaced by a
 * marker naming what it refers to, then JSON.parse. What the preview must reproduce.
 */
function rawBody(template: CfnTemplate): { widgets: Record<string, Json>[] } {
  const dashboard = Object.values(template.Resources ?? {}).find(
    (r) => r.Type === 'AWS::CloudWatch::Dashboard',
  );
  const join = (dashboard?.Properties?.DashboardBody as { 'Fn::Join': [string, Json[]] })['Fn::Join'];
  const text = join[1]
    .map((part) => (typeof part === 'string' ? part : `TOKEN(${JSON.stringify(part).replace(/"/g, "'")})`))
    .join(join[0]);
  return JSON.parse(text) as { widgets: Record<string, Json>[] };
}

let template: CfnTemplate;
beforeAll(() => {
  template = synthesizeTemplate();
});

const props = (w: Record<string, Json>): Record<string, Json> => (w.properties ?? {}) as Record<string, Json>;
const metricLabels = (w: Record<string, Json>): string[] =>
  ((props(w).metrics ?? []) as Json[][]).map((m) => {
    const options = m[m.length - 1] as { label?: string };
    return options.label ?? String(m[1]);
  });
const kindOf = (w: Record<string, Json>): string =>
  w.type === 'metric' ? (props(w).view === 'singleValue' ? 'singleValue' : 'graph') : String(w.type);

test('the preview has the synthesized dashboard widgets, in their places, with their titles and metric labels', () => {
  const raw = rawBody(template).widgets;
  const layout = dashboardLayout(template);
  expect(raw.length).toBeGreaterThanOrEqual(8);
  expect(
    layout.widgets.map((w) => ({
      kind: w.kind,
      x: w.x,
      y: w.y,
      width: w.width,
      height: w.height,
      title: w.kind === 'text' ? '' : w.title,
      labels:
        w.kind === 'graph' || w.kind === 'singleValue' ? w.metrics.map((m) => m.label ?? m.metricName) : [],
    })),
  ).toEqual(
    raw.map((w) => ({
      kind: kindOf(w),
      x: w.x,
      y: w.y,
      width: w.width,
      height: w.height,
      title: props(w).title ?? '',
      labels: kindOf(w) === 'graph' || kindOf(w) === 'singleValue' ? metricLabels(w) : [],
    })),
  );
  // The rendered page places each widget where the body does.
  const page = renderDashboardPreview(layout, {
    volumes: [],
    executions: [],
    resources: pipelineResources(template),
  });
  expect(widgetAttributes(page).map((w) => [w.kind, w.x, w.y, w.width, w.height, w.title])).toEqual(
    raw.map((w) => [kindOf(w), w.x, w.y, w.width, w.height, props(w).title ?? '']),
  );
});

test("the graphs keep the body's axis labels and horizontal annotations (the rejected-share warning and failing lines)", () => {
  const raw = rawBody(template).widgets.filter((w) => kindOf(w) === 'graph');
  const graphs = dashboardLayout(template).widgets.flatMap((w) => (w.kind === 'graph' ? [w] : []));
  expect(graphs.map((g) => [g.leftAxis.label, g.rightAxis.label, g.annotations])).toEqual(
    raw.map((w) => {
      const yAxis = (props(w).yAxis ?? {}) as { left?: { label?: string }; right?: { label?: string } };
      const horizontal = ((props(w).annotations as { horizontal?: Json[] } | undefined)?.horizontal ??
        []) as {
        label: string;
        value: number;
        color?: string;
        yAxis?: string;
      }[];
      return [
        yAxis.left?.label,
        yAxis.right?.label,
        horizontal.map((a) => ({ label: a.label, value: a.value, color: a.color, yAxis: a.yAxis ?? 'left' })),
      ];
    }),
  );
  const share = graphs.find((g) => g.title === 'Rejected share (%)');
  expect(share?.annotations.map((a) => [a.label, a.value])).toEqual([
    ['warning', 0.5],
    ['fails the day', 1],
  ]);
});

test('references in the body resolve to the resources they name, never to invented names', () => {
  const layout = dashboardLayout(template);
  const resources = template.Resources ?? {};
  const alarms = layout.widgets.flatMap((w) => (w.kind === 'alarm' ? w.alarms : []));
  // Every alarm the stack deploys shows on the dashboard, each named by its own resource.
  const deployedAlarms = Object.keys(resources).filter(
    (id) => resources[id]?.Type === 'AWS::CloudWatch::Alarm',
  );
  expect([...alarms].sort()).toEqual(deployedAlarms.sort());
  for (const alarm of alarms) expect(resources[alarm]?.Type).toBe('AWS::CloudWatch::Alarm');
  const dimensions = layout.widgets.flatMap((w) =>
    w.kind === 'graph' ? w.metrics.flatMap((m) => Object.entries(m.dimensions)) : [],
  );
  const types = new Map(
    dimensions
      .filter(([name]) => name === 'StateMachineArn' || name === 'FunctionName')
      .map(([name, value]) => [value, [name, resources[value]?.Type]]),
  );
  expect([...types.values()].sort()).toEqual([
    ['FunctionName', 'AWS::Lambda::Function'],
    ['FunctionName', 'AWS::Lambda::Function'],
    ['FunctionName', 'AWS::Lambda::Function'],
    ['StateMachineArn', 'AWS::StepFunctions::StateMachine'],
    ['StateMachineArn', 'AWS::StepFunctions::StateMachine'],
  ]);
  expect(layout.name).toBe('SearchStats-<region>');
});

test('a template without exactly one dashboard is refused, naming what it found', () => {
  expect(() => dashboardLayout({ Resources: {} })).toThrow(
    new DashboardBodyError('expected one AWS::CloudWatch::Dashboard, found 0'),
  );
});
