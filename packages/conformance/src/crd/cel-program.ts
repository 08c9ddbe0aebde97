import { Environment, type ParseResult } from '@marcbachmann/cel-js';
import {
  CelDataError,
  OVERRIDDEN_FUNCTIONS,
  OVERRIDE_PREFIX,
  registerKubernetesLibrary,
} from './cel-library.js';

/** A compiled CEL expression, or why it cannot be evaluated here. */
export type CelProgram =
  | {
      readonly supported: true;
      /** The expression reads `oldSelf` (a transition rule). */
      readonly usesOldSelf: boolean;
      readonly run: ParseResult;
    }
  | { readonly supported: false; readonly reason: string };

/** What evaluating an expression gave. */
export type CelOutcome =
  | { readonly kind: 'value'; readonly value: unknown }
  /** An evaluation error the API server raises too; it rejects the object. */
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'unsupported'; readonly reason: string };

let environment: Environment | undefined;

/** One environment for every rule: creating it is the expensive part of cel-js. */
function celEnvironment(): Environment {
  if (environment === undefined) {
    const env = new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false });
    env.registerVariable('self', 'dyn');
    env.registerVariable('oldSelf', 'dyn');
    registerKubernetesLibrary(env);
    environment = env;
  }
  return environment;
}

const STRING_PREFIXES = new Set([
  'r',
  'R',
  'b',
  'B',
  'rb',
  'rB',
  'Rb',
  'RB',
  'br',
  'bR',
  'Br',
  'BR',
]);

function isIdentifierStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}

function isIdentifierPart(c: string): boolean {
  return isIdentifierStart(c) || (c >= '0' && c <= '9');
}

/** The index just past a CEL string literal whose opening quote is at `start`. */
function skipString(source: string, start: number, raw: boolean): number {
  const quote = source[start] ?? '';
  const triple = source.startsWith(quote.repeat(3), start);
  const close = triple ? quote.repeat(3) : quote;
  let i = start + close.length;
  while (i < source.length) {
    if (!raw && source[i] === '\\') {
      i += 2;
      continue;
    }
    if (source.startsWith(close, i)) return i + close.length;
    i += 1;
  }
  return source.length;
}

/**
 * Renames calls of the functions in {@link OVERRIDDEN_FUNCTIONS} (`x.matches(`, `duration(`) to
 * their Kubernetes implementations. Works on tokens: string literals, comments and field
 * selections that are not calls (`self.matches.size()`) are left alone.
 */
export function renameOverriddenCalls(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i] ?? '';
    if (c === '/' && source[i + 1] === '/') {
      const end = source.indexOf('\n', i);
      const stop = end === -1 ? source.length : end;
      out += source.slice(i, stop);
      i = stop;
    } else if (c === '"' || c === "'") {
      const end = skipString(source, i, false);
      out += source.slice(i, end);
      i = end;
    } else if (isIdentifierStart(c)) {
      let end = i + 1;
      while (end < source.length && isIdentifierPart(source[end] ?? '')) end += 1;
      const word = source.slice(i, end);
      const next = source[end] ?? '';
      if (STRING_PREFIXES.has(word) && (next === '"' || next === "'")) {
        const stop = skipString(source, end, word.toLowerCase().includes('r'));
        out += source.slice(i, stop);
        i = stop;
        continue;
      }
      let look = end;
      while (/\s/.test(source[look] ?? '')) look += 1;
      out += OVERRIDDEN_FUNCTIONS.has(word) && source[look] === '(' ? OVERRIDE_PREFIX + word : word;
      i = end;
    } else if (c >= '0' && c <= '9') {
      // Numbers may carry letters (0x1F, 1e3, 2u); they are never calls.
      let end = i + 1;
      while (end < source.length && /[0-9A-Za-z.]/.test(source[end] ?? '')) end += 1;
      out += source.slice(i, end);
      i = end;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

interface AstLike {
  readonly op: string;
  readonly args: unknown;
}

function isAst(value: unknown): value is AstLike {
  return typeof value === 'object' && value !== null && 'op' in value && 'args' in value;
}

function readsOldSelf(node: unknown): boolean {
  if (Array.isArray(node)) return node.some(readsOldSelf);
  if (!isAst(node)) return false;
  if (node.op === 'id') return node.args === 'oldSelf';
  return readsOldSelf(node.args);
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return (text.split('\n')[0] ?? '').replaceAll(OVERRIDE_PREFIX, '');
}

const programs = new Map<string, CelProgram>();

/**
 * Parses and type-checks an expression once (programs are cached by their text: the same rule
 * appears in many schemas). Anything cel-js cannot parse or type-check, such as a function of the
 * Kubernetes library that is not supported here, makes the program unsupported.
 */
export function compileCel(source: string): CelProgram {
  let program = programs.get(source);
  if (program === undefined) {
    program = compileUncached(source);
    programs.set(source, program);
  }
  return program;
}

function compileUncached(source: string): CelProgram {
  let run: ParseResult;
  try {
    run = celEnvironment().parse(renameOverriddenCalls(source));
  } catch (error) {
    return { supported: false, reason: `cannot parse: ${firstLine(error)}` };
  }
  try {
    const checked = run.check();
    if (!checked.valid) return { supported: false, reason: firstLine(checked.error) };
  } catch (error) {
    return { supported: false, reason: `cannot type-check: ${firstLine(error)}` };
  }
  return { supported: true, usesOldSelf: readsOldSelf(run.ast), run };
}

/** cel-js error codes for failures the API server reports as well (they reject the object). */
const DATA_ERROR_CODES = new Set([
  'division_by_zero',
  'double_conversion_error',
  'index_out_of_bounds',
  'index_out_of_range',
  'int_conversion_error',
  'invalid_timestamp',
  'modulo_by_zero',
  'no_such_key',
  'numeric_overflow',
  'optional_value_missing',
  'uint_conversion_error',
]);

function errorCode(error: unknown): string | undefined {
  if (!(error instanceof Error) || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/**
 * Evaluates a program with `self` (and `oldSelf`, an `Optional` for optional transition rules).
 * Errors are sorted: those the API server would raise too become `error`; everything else
 * (a missing overload, a type cel-js does not know) becomes `unsupported`, never a pass or a fail.
 */
export function runCel(
  program: Extract<CelProgram, { supported: true }>,
  self: unknown,
  oldSelf?: unknown,
): CelOutcome {
  try {
    const context = oldSelf === undefined ? { self } : { self, oldSelf };
    return { kind: 'value', value: program.run(context) as unknown };
  } catch (error) {
    if (error instanceof CelDataError) return { kind: 'error', message: error.message };
    const code = errorCode(error);
    if (code !== undefined && DATA_ERROR_CODES.has(code)) {
      return { kind: 'error', message: firstLine(error) };
    }
    return { kind: 'unsupported', reason: firstLine(error) };
  }
}
