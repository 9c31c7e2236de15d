import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** The parts of a V8 .cpuprofile used here. */
interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface SelfTime {
  readonly name: string;
  readonly ms: number;
  readonly share: number;
}

/** Self time per function (summed over call sites), largest first. */
export function selfTimes(profile: CpuProfile): SelfTime[] {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const micros = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    const frame = frames.get(id);
    const name =
      frame === undefined ? '?' : `${frame.functionName || '(anonymous)'} ${path.basename(frame.url)}`.trim();
    micros.set(name, (micros.get(name) ?? 0) + delta);
    total += delta;
  });
  return [...micros]
    .map(([name, us]) => ({ name, ms: us / 1000, share: total === 0 ? 0 : us / total }))
    .sort((a, b) => b.ms - a.ms);
}

export async function profileSummary(file: string, top = 12): Promise<string> {
  const times = selfTimes(JSON.parse(await readFile(file, 'utf8')) as CpuProfile);
  const lines = times
    .slice(0, top)
    .map((t) => `  ${(t.share * 100).toFixed(1).padStart(5)}% ${t.ms.toFixed(0).padStart(6)} ms  ${t.name}`);
  return [`${path.basename(file)} (self time, whole process life):`, ...lines].join('\n');
}
