import { readFile } from 'node:fs/promises';

import { UsageError } from './errors';
import type { CliIo } from './io';

/**
 * The SQL a command runs: the `--file` (a path, or `-` for standard input) or the one positional
 * (the command's argument parsing allows only one of the two).
 * A file runs as it is, leading `--` comments included: as a positional such text would read as an
 * option (or needs `--` before it).
 */
export async function sqlText(
  file: string | undefined,
  positional: string | undefined,
  io: CliIo,
): Promise<string> {
  if (file === undefined) {
    if (positional === undefined || positional.trim() === '') throw new UsageError('"SQL" is required');
    return positional;
  }
  const text = file === '-' ? await readAll(io) : await readSqlFile(file);
  if (text.trim() === '') throw new UsageError(`--file ${file}: holds no SQL`);
  return text;
}

async function readSqlFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code;
    throw new UsageError(`--file ${file}: ${why ?? 'cannot be read'}`, { cause: error });
  }
}

async function readAll(io: CliIo): Promise<string> {
  if (!io.stdin) throw new UsageError('--file -: no standard input here');
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of io.stdin) {
    text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  }
  return text + decoder.decode();
}
