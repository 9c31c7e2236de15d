/**
 * The runtime import graph of some TypeScript files: every module they load, followed through
 * relative imports (resolved by the TypeScript compiler, as tsc would), with the packages each file
 * imports. Type-only imports are left out: they are erased when compiled and load nothing.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import ts from 'typescript';

/** A package a file imports: `importer` is the chain of files from a root to the file that imports it. */
export interface PackageImport {
  readonly name: string;
  readonly specifier: string;
  readonly importer: readonly string[];
}

export interface ImportGraph {
  /** Every source file reached, relative to the root directory, with the chain that reached it. */
  readonly files: ReadonlyMap<string, readonly string[]>;
  readonly packages: readonly PackageImport[];
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  resolveJsonModule: true,
};

/** `@scope/name/deep` -> `@scope/name`, `name/deep` -> `name`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
}

function isTypeOnly(node: ts.ImportDeclaration | ts.ExportDeclaration): boolean {
  if (ts.isExportDeclaration(node)) return node.isTypeOnly;
  const clause = node.importClause;
  if (clause === undefined) return false; // `import 'x'`: loaded for its side effects
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return (
    clause.name === undefined &&
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((element) => element.isTypeOnly)
  );
}

/** The module specifiers a file loads at run time: imports, re-exports, require() and import(). */
export function runtimeSpecifiers(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier !== undefined &&
      ts.isStringLiteral(node.moduleSpecifier) &&
      !isTypeOnly(node)
    ) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      !node.isTypeOnly &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      specifiers.push(node.moduleReference.expression.text);
    } else if (ts.isCallExpression(node)) {
      const [first] = node.arguments;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      if ((isRequire || isDynamicImport) && first !== undefined && ts.isStringLiteralLike(first)) {
        specifiers.push(first.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers;
}

/** Walks the graph from `roots` (absolute paths); paths in the result are relative to `rootDir`. */
export function importGraph(rootDir: string, roots: readonly string[]): ImportGraph {
  const files = new Map<string, readonly string[]>();
  const packages: PackageImport[] = [];
  const name = (file: string): string => relative(rootDir, file).split('\\').join('/');
  const pending: { file: string; chain: readonly string[] }[] = roots.map((file) => ({
    file,
    chain: [name(file)],
  }));
  for (let next = pending.shift(); next !== undefined; next = pending.shift()) {
    const { file, chain } = next;
    if (files.has(name(file))) continue;
    files.set(name(file), chain);
    if (!/\.[cm]?[jt]sx?$/.test(file) || file.endsWith('.d.ts')) continue;
    for (const specifier of runtimeSpecifiers(file, readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('node:')) continue;
      if (!specifier.startsWith('.') && !specifier.startsWith('/')) {
        packages.push({ name: packageName(specifier), specifier, importer: chain });
        continue;
      }
      const resolved = ts.resolveModuleName(specifier, file, COMPILER_OPTIONS, ts.sys).resolvedModule;
      if (resolved === undefined) throw new Error(`${name(file)}: cannot resolve ${specifier}`);
      pending.push({ file: resolved.resolvedFileName, chain: [...chain, name(resolved.resolvedFileName)] });
    }
  }
  return { files, packages };
}
