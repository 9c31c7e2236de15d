/** Reads the preview page's widgets from its HTML (the attributes each widget section carries). */
export interface WidgetAttributes {
  readonly kind: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly title: string;
  /** Metric label -> [bucket, value] pairs as plotted, or "no local data". */
  readonly series: Record<string, [string, number | null][] | string>;
}

const ENTITIES: Record<string, string> = {
  '&quot;': '"',
  '&#39;': "'",
  '&lt;': '<',
  '&gt;': '>',
  '&amp;': '&',
};
const unescape = (text: string): string => text.replace(/&(quot|#39|lt|gt|amp);/g, (e) => ENTITIES[e] ?? e);

export function widgetAttributes(html: string): WidgetAttributes[] {
  return [...html.matchAll(/<section\s([^>]*)>/g)].map((match) => {
    const attrs = new Map(
      [...(match[1] ?? '').matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1] ?? '', unescape(m[2] ?? '')]),
    );
    const get = (name: string): string => attrs.get(name) ?? '';
    return {
      kind: get('data-kind'),
      x: Number(get('data-x')),
      y: Number(get('data-y')),
      width: Number(get('data-width')),
      height: Number(get('data-height')),
      title: get('data-title'),
      series: JSON.parse(get('data-series') || '{}') as WidgetAttributes['series'],
    };
  });
}
