/**
 * The deployed dashboard as the synthesized template defines it: the one `AWS::CloudWatch::Dashboard`
 * resource's `DashboardBody` (an `Fn::Join` around `Ref`/`Fn::GetAtt` tokens), resolved so that each
 * reference names the resource it points to (its logical id: the physical names are CloudFormation's
 * to give at deploy time), then parsed into typed widgets. The body's format:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 * (a 24-column grid; each widget's x, y, width and height in grid units).
 */
import type { CfnTemplate } from '../runner/resolve-template';

export class DashboardBodyError extends Error {
  override name = 'DashboardBodyError';
}

/** One metric of a widget: the body's `[namespace, name, dim, value, ..., {options}]`. */
export interface WidgetMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** The body's `label`; undefined when the body gives none (CloudWatch then generates one). */
  readonly label?: string;
  readonly stat: string;
  readonly periodSeconds: number;
  readonly yAxis: 'left' | 'right';
}

export interface AxisSpec {
  readonly label?: string;
  readonly min?: number;
}

export interface HorizontalAnnotation {
  readonly label: string;
  readonly value: number;
  readonly color?: string;
  readonly yAxis: 'left' | 'right';
}

interface Placement {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export type DashboardWidget = Placement &
  (
    | { readonly kind: 'text'; readonly markdown: string }
    | { readonly kind: 'alarm'; readonly title: string; readonly alarms: readonly string[] }
    | { readonly kind: 'singleValue'; readonly title: string; readonly metrics: readonly WidgetMetric[] }
    | {
        readonly kind: 'graph';
        readonly title: string;
        readonly metrics: readonly WidgetMetric[];
        readonly annotations: readonly HorizontalAnnotation[];
        readonly leftAxis: AxisSpec;
        readonly rightAxis: AxisSpec;
      }
  );

export interface DashboardLayout {
  /** The dashboard's name, `<region>` standing for the deploy region. */
  readonly name: string;
  /** The time range it opens with (ISO 8601 duration, e.g. `-P30D`). */
  readonly start: string;
  readonly widgets: readonly DashboardWidget[];
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A reference as a name: a pseudo parameter as `<region>`-style text, a resource as its logical id. */
function resolve(value: Json, resources: CfnTemplate['Resources']): string {
  if (typeof value === 'string') return value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DashboardBodyError(`cannot resolve ${JSON.stringify(value)} in the dashboard`);
  }
  const [fn, arg] = Object.entries(value)[0] ?? [];
  if (fn === 'Fn::Join' && Array.isArray(arg) && typeof arg[0] === 'string' && Array.isArray(arg[1])) {
    return arg[1].map((part) => resolve(part, resources)).join(arg[0]);
  }
  const id = fn === 'Ref' ? arg : fn === 'Fn::GetAtt' && Array.isArray(arg) ? arg[0] : undefined;
  if (typeof id === 'string' && id.startsWith('AWS::')) return `<${id.slice(5).toLowerCase()}>`;
  if (typeof id === 'string' && resources?.[id]) return id;
  throw new DashboardBodyError(`unsupported reference ${JSON.stringify(value)} in the dashboard`);
}

const num = (value: unknown, what: string): number => {
  if (typeof value !== 'number') throw new DashboardBodyError(`${what} is not a number`);
  return value;
};
const text = (value: unknown, what: string): string => {
  if (typeof value !== 'string') throw new DashboardBodyError(`${what} is not text`);
  return value;
};
const record = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

function metric(entry: unknown, where: string): WidgetMetric {
  if (!Array.isArray(entry) || entry.length < 2) throw new DashboardBodyError(`${where}: not a metric array`);
  const last: unknown = entry[entry.length - 1];
  const hasOptions = last !== null && typeof last === 'object';
  const parts = (hasOptions ? entry.slice(0, -1) : entry).map((part, i) => text(part, `${where}[${i}]`));
  const [namespace = '', metricName = '', ...dims] = parts;
  if (dims.length % 2 !== 0) throw new DashboardBodyError(`${where}: dimension without a value`);
  const options = record(hasOptions ? last : {});
  const dimensions: Record<string, string> = {};
  for (let i = 0; i < dims.length; i += 2) dimensions[dims[i] ?? ''] = dims[i + 1] ?? '';
  return {
    namespace,
    metricName,
    dimensions,
    ...(typeof options.label === 'string' ? { label: options.label } : {}),
    stat: text(options.stat ?? 'Average', `${where}.stat`),
    periodSeconds: num(options.period ?? 300, `${where}.period`),
    yAxis: options.yAxis === 'right' ? 'right' : 'left',
  };
}

function axis(value: unknown): AxisSpec {
  const spec = record(value);
  return {
    ...(typeof spec.label === 'string' ? { label: spec.label } : {}),
    ...(typeof spec.min === 'number' ? { min: spec.min } : {}),
  };
}

function widget(raw: unknown, index: number): DashboardWidget {
  const w = record(raw);
  const where = `widget ${index}`;
  const placement = {
    x: num(w.x, `${where}.x`),
    y: num(w.y, `${where}.y`),
    width: num(w.width, `${where}.width`),
    height: num(w.height, `${where}.height`),
  };
  const props = record(w.properties);
  const title = typeof props.title === 'string' ? props.title : '';
  if (w.type === 'text')
    return { ...placement, kind: 'text', markdown: text(props.markdown, `${where}.markdown`) };
  if (w.type === 'alarm') {
    const alarms = Array.isArray(props.alarms)
      ? props.alarms.map((a, i) => text(a, `${where}.alarms[${i}]`))
      : [];
    return { ...placement, kind: 'alarm', title, alarms };
  }
  if (w.type !== 'metric')
    throw new DashboardBodyError(`${where}: unsupported widget type ${String(w.type)}`);
  const metrics = (Array.isArray(props.metrics) ? props.metrics : []).map((m, i) =>
    metric(m, `${where}.metrics[${i}]`),
  );
  if (props.view === 'singleValue') return { ...placement, kind: 'singleValue', title, metrics };
  if (props.view !== 'timeSeries')
    throw new DashboardBodyError(`${where}: unsupported view ${String(props.view)}`);
  const yAxis = record(props.yAxis);
  const horizontal = record(props.annotations).horizontal;
  const annotations = (Array.isArray(horizontal) ? horizontal : []).map((a, i) => {
    const ann = record(a);
    return {
      label: text(ann.label ?? '', `${where}.annotations[${i}].label`),
      value: num(ann.value, `${where}.annotations[${i}].value`),
      ...(typeof ann.color === 'string' ? { color: ann.color } : {}),
      yAxis: ann.yAxis === 'right' ? ('right' as const) : ('left' as const),
    };
  });
  return {
    ...placement,
    kind: 'graph',
    title,
    metrics,
    annotations,
    leftAxis: axis(yAxis.left),
    rightAxis: axis(yAxis.right),
  };
}

/** The template's one dashboard, its references resolved to names and its widgets parsed. */
export function dashboardLayout(template: CfnTemplate): DashboardLayout {
  const resources = template.Resources ?? {};
  const dashboards = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::CloudWatch::Dashboard');
  const [only, ...others] = dashboards;
  if (!only || others.length > 0) {
    throw new DashboardBodyError(`expected one AWS::CloudWatch::Dashboard, found ${dashboards.length}`);
  }
  const [logicalId, resource] = only;
  const props = resource.Properties ?? {};
  if (props.DashboardBody === undefined) throw new DashboardBodyError(`${logicalId} has no DashboardBody`);
  let body: Record<string, unknown>;
  try {
    body = record(JSON.parse(resolve(props.DashboardBody, resources)));
  } catch (error) {
    if (error instanceof DashboardBodyError) throw error;
    throw new DashboardBodyError(`${logicalId}'s DashboardBody is not JSON`, { cause: error });
  }
  const widgets = Array.isArray(body.widgets) ? body.widgets : [];
  return {
    name: props.DashboardName === undefined ? logicalId : resolve(props.DashboardName, resources),
    start: typeof body.start === 'string' ? body.start : '',
    widgets: widgets.map(widget),
  };
}

/** A logical id without the 8-character hash CDK appends (`FailedRunsAlarm94F0DBC3` -> `FailedRunsAlarm`). */
export function readableId(logicalId: string): string {
  return logicalId.replace(/[0-9A-F]{8}$/, '');
}
