/**
 * External parts some suites need (a PostgreSQL server, a Chromium) and what a suite does without
 * one: under CI (`CI=true`) it FAILS, saying what to install or set, so a CI run can never pass
 * with a suite quietly left out; on a laptop it is skipped, visibly: a skipped test whose title
 * names the suite and what is missing (and `test/support/skipped-reporter.js` lists it at the end).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

/** A part a suite needs: where it was found, or how to get it. */
export interface RequiredPart {
  /** What it is, e.g. `PostgreSQL`. */
  readonly name: string;
  /** The URL or path to use; undefined when missing. */
  readonly found: string | undefined;
  /** What to install or set, e.g. `set TEST_POSTGRES_URL=postgres://...`. */
  readonly howTo: string;
}

/** What a suite does about a part: use it, skip (locally), or fail (under CI). */
export type PartDecision =
  | { readonly kind: 'use'; readonly value: string }
  | { readonly kind: 'skip'; readonly title: string }
  | { readonly kind: 'fail'; readonly title: string; readonly message: string };

/** Whether this is a CI run: `CI=true` (or `1`), as CI services set it and `.ci/run` exports it. */
export function isCi(env: Env = process.env): boolean {
  return ['true', '1'].includes((env['CI'] ?? '').trim().toLowerCase());
}

/** A real PostgreSQL server: TEST_POSTGRES_URL, a database the tests may drop tables in. */
export function postgresServer(env: Env = process.env): RequiredPart {
  const url = env['TEST_POSTGRES_URL']?.trim();
  return {
    name: 'PostgreSQL',
    found: url ? url : undefined,
    howTo:
      'set TEST_POSTGRES_URL=postgres://user@host:port/db (a scratch database; `source .ci/postgres.sh` starts one)',
  };
}

const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome'];

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** A Chromium: CHROMIUM_PATH if set, else the first of chromium, chromium-browser, google-chrome on PATH. */
export function chromiumBrowser(env: Env = process.env): RequiredPart {
  const howTo =
    'install Chromium (apt-get install chromium) or set CHROMIUM_PATH to a Chromium or Chrome executable';
  const configured = env['CHROMIUM_PATH']?.trim();
  if (configured) {
    const usable = isAbsolute(configured) && isExecutable(configured);
    return {
      name: 'Chromium',
      found: usable ? configured : undefined,
      howTo: usable ? howTo : `CHROMIUM_PATH=${configured} is not an executable file: ${howTo}`,
    };
  }
  const dirs = (env['PATH'] ?? '').split(delimiter).filter((dir) => dir !== '');
  const found = CHROMIUM_NAMES.flatMap((name) => dirs.map((dir) => join(dir, name))).find(isExecutable);
  return { name: 'Chromium', found, howTo };
}

/** Decides, without touching Jest, what `suite` does about `part`. */
export function decide(suite: string, part: RequiredPart, env: Env = process.env): PartDecision {
  if (part.found !== undefined) return { kind: 'use', value: part.found };
  if (isCi(env)) {
    return {
      kind: 'fail',
      title: `${suite}: needs ${part.name}`,
      message: `${suite} needs ${part.name}, which is missing, and CI=true does not allow skipping it: ${part.howTo}`,
    };
  }
  return { kind: 'skip', title: `${suite} skipped: no ${part.name}; to run it, ${part.howTo}` };
}

/**
 * `describe(suite, () => body(value))` when the part is there; otherwise one skipped test naming
 * the suite and what is missing, or, under CI, one failing test saying what to install or set.
 */
export function describeWith(part: RequiredPart, suite: string, body: (value: string) => void): void {
  const decision = decide(suite, part);
  if (decision.kind === 'use') describe(suite, () => body(decision.value));
  else if (decision.kind === 'skip') test.skip(decision.title, () => undefined);
  else
    test(decision.title, () => {
      throw new Error(decision.message);
    });
}
