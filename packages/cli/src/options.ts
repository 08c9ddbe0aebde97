import {
  SMI_VERSIONS,
  type OnUnrepresentable,
  type SmiArea,
  type SmiVersions,
} from '@meshlingo/core';
import { readFile } from 'node:fs/promises';
import { load } from 'js-yaml';
import { UsageError } from './io.js';

/** Parses `--smi-version access=v1alpha2,specs=v1alpha3,split=v1alpha2`. */
export function parseSmiVersions(value: string): Partial<SmiVersions> {
  const out: { -readonly [A in SmiArea]?: SmiVersions[A] } = {};
  for (const part of value.split(',')) {
    const [area = '', version = ''] = part.split('=').map((s) => s.trim());
    if (area !== 'access' && area !== 'specs' && area !== 'split') {
      throw new UsageError(`--smi-version: unknown area "${area}"; use access, specs or split`);
    }
    const allowed: readonly string[] = SMI_VERSIONS[area];
    if (!allowed.includes(version)) {
      throw new UsageError(
        `--smi-version: ${area} must be one of ${allowed.join(', ')}, not "${version}"`,
      );
    }
    Object.assign(out, { [area]: version });
  }
  return out;
}

/** Validates `--on-unrepresentable`. */
export function parseOnUnrepresentable(value: string): OnUnrepresentable {
  if (value === 'error' || value === 'narrow' || value === 'widen') return value;
  throw new UsageError(`--on-unrepresentable must be error, narrow or widen, not "${value}"`);
}

/** Validates an enum-like option value. */
export function oneOf<const T extends string>(
  flag: string,
  value: string,
  allowed: readonly T[],
): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, not "${value}"`);
}

/** Splits comma lists given once or several times (`--to a,b --to c`). */
export function commaList(values: readonly string[] | string | undefined): string[] {
  const list = values === undefined ? [] : typeof values === 'string' ? [values] : values;
  return list
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Builds per-adapter options from `--adapter-options FILE` (YAML map: adapter name to options)
 * and `--set adapter.key=value` (value read as a YAML scalar; nested keys with dots).
 */
export async function adapterOptions(
  file: string | undefined,
  sets: readonly string[],
): Promise<Record<string, Record<string, unknown>>> {
  const out = Object.create(null) as Record<string, Record<string, unknown>>;
  if (file !== undefined) {
    let parsed: unknown;
    try {
      parsed = load(await readFile(file, 'utf8'));
    } catch (error) {
      throw new UsageError(
        `--adapter-options ${file}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    if (!isRecord(parsed))
      throw new UsageError(`--adapter-options ${file} must hold a map of adapter names to options`);
    for (const [name, value] of Object.entries(parsed)) {
      if (!isRecord(value))
        throw new UsageError(`--adapter-options: options of ${name} must be a map`);
      out[name] = structuredClone(value);
    }
  }
  for (const item of sets) {
    const eq = item.indexOf('=');
    const path = (eq === -1 ? '' : item.slice(0, eq)).split('.');
    if (
      path.length < 2 ||
      path.some((p) => p === '' || p === '__proto__' || p === 'constructor' || p === 'prototype')
    ) {
      throw new UsageError(`--set expects adapter.key=value, got "${item}"`);
    }
    const [adapter = '', ...keys] = path;
    const value: unknown = load(item.slice(eq + 1));
    let node = (out[adapter] ??= Object.create(null) as Record<string, unknown>);
    keys.slice(0, -1).forEach((key) => {
      const next = node[key];
      node = isRecord(next) ? next : (node[key] = Object.create(null) as Record<string, unknown>);
    });
    node[keys[keys.length - 1] ?? ''] = value;
  }
  return out;
}
