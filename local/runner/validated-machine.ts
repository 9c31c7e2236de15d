/**
 * aws-local-stepfunctions validates a definition (asl-validator, ajv) each time a StateMachine is
 * made: seconds of CPU for the pipeline's definition, in every command. The outcome depends only on
 * the definition, so a definition that passed once is remembered (a file named by the SHA-256 of its
 * JSON in the local cache) and later made without validating again; a new or changed definition is
 * validated as before, and an invalid one still throws.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

import type { AslDefinition } from './resolve-template';

export function createValidatedMachine(definition: AslDefinition, cacheDir: string): StateMachine {
  const json = JSON.stringify(definition);
  const digest = createHash('sha256').update(json).digest('hex');
  const marker = path.join(cacheDir, `asl-valid-${digest}`);
  const asl = definition as unknown as StateMachineDefinition;
  if (existsSync(marker)) return new StateMachine(asl, { validationOptions: { noValidate: true } });
  const machine = new StateMachine(asl);
  try {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(marker, '');
  } catch {
    // an unwritable cache only means the next command validates again
  }
  return machine;
}
