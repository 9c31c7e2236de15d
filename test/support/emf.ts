/**
 * Captures the CloudWatch Embedded Metric Format documents a handler writes to stdout (Powertools
 * Metrics prints one JSON line per flush) and reads them back as name -> { unit, value }.
 */
export interface EmfDocument {
  readonly namespace: string;
  readonly dimensions: readonly (readonly string[])[];
  /** Dimension values, by name. */
  readonly dimensionValues: Readonly<Record<string, unknown>>;
  readonly metrics: Readonly<Record<string, { readonly unit: string; readonly value: unknown }>>;
}

interface RawEmf {
  readonly _aws: {
    readonly CloudWatchMetrics: readonly {
      readonly Namespace: string;
      readonly Dimensions: readonly (readonly string[])[];
      readonly Metrics: readonly { readonly Name: string; readonly Unit: string }[];
    }[];
  };
  readonly [key: string]: unknown;
}

/** Runs `act` with stdout captured; returns its result and the EMF documents it printed. */
export async function captureEmf<T>(act: () => Promise<T>): Promise<{ result: T; emf: EmfDocument[] }> {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n'));
    return true;
  });
  try {
    const result = await act();
    return { result, emf: lines.flatMap(parseEmf) };
  } finally {
    spy.mockRestore();
  }
}

function parseEmf(line: string): EmfDocument[] {
  if (!line.startsWith('{')) return [];
  const doc = JSON.parse(line) as Partial<RawEmf>;
  const directive = doc._aws?.CloudWatchMetrics[0];
  if (!directive) return [];
  const dimensions = directive.Dimensions;
  const metrics = Object.fromEntries(
    directive.Metrics.map((m) => [m.Name, { unit: m.Unit, value: doc[m.Name] }]),
  );
  const dimensionValues = Object.fromEntries(dimensions.flat().map((name) => [name, doc[name]]));
  return [{ namespace: directive.Namespace, dimensions, dimensionValues, metrics }];
}
