/**
 * The CLI's commands, each loaded only when it runs: `--help` and a `run` load none of what
 * the other commands need (the report's charts, the AWS Step Functions client...).
 */
import type { Command } from '../command';

export interface CommandEntry {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Loads the command's module (and what it imports). */
  load(): Command;
}

/* eslint-disable @typescript-eslint/no-require-imports -- lazy loading is the point of this file */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'demo',
    summary: 'generate the seed history, back-fill it locally, print search_stats, write the report',
    load: () => (require('./demo') as typeof import('./demo')).demoCommand,
  },
  {
    name: 'run',
    summary: 'run the state machine locally for each day of a range',
    load: () => (require('./run') as typeof import('./run')).runCommand,
  },
  {
    name: 'watch',
    summary: 'run the day of every new or replaced day file in a directory, as the deployed S3 trigger does',
    load: () => (require('./watch') as typeof import('./watch')).watchCommand,
  },
  {
    name: 'backfill',
    summary: 'run the Backfill state machine over a range: locally, or start it on AWS',
    load: () => (require('./backfill') as typeof import('./backfill')).backfillCommand,
  },
  {
    name: 'query',
    summary: 'run SQL on the local warehouse',
    load: () => (require('./query') as typeof import('./query')).queryCommand,
  },
  {
    name: 'report',
    summary: 'write the HTML report (the business questions, with charts) from the local warehouse',
    load: () => (require('./report') as typeof import('./report')).reportCommand,
  },
  {
    name: 'dashboard',
    summary: "preview the deployed CloudWatch dashboard's layout with the local run's data (HTML)",
    load: () => (require('./dashboard') as typeof import('./dashboard')).dashboardCommand,
  },
  {
    name: 'generate',
    summary: 'write deterministic sample day files (session_user_data<YYYYMMDD>.zip)',
    load: () => (require('./generate') as typeof import('./generate')).generateCommand,
  },
  {
    name: 'outputs',
    summary: "list the embedded S3's objects and where they are on disk",
    load: () => (require('./outputs') as typeof import('./outputs')).outputsCommand,
  },
];
/* eslint-enable @typescript-eslint/no-require-imports */
