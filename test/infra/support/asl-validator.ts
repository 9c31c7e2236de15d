/** What asl-validator (which ships no type declarations) returns: see its dist/src/validator.js. */
export interface AslValidation {
  readonly isValid: boolean;
  readonly errorsText: (separator?: string) => string;
}

type Validator = (
  definition: unknown,
  options?: { checkPaths?: boolean; checkArn?: boolean },
) => AslValidation;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const validator = require('asl-validator') as Validator;

/** Validates a copy (the validator writes default QueryLanguage fields into what it is given). */
export function validateAsl(definition: unknown): AslValidation {
  return validator(structuredClone(definition), { checkPaths: true, checkArn: true });
}
