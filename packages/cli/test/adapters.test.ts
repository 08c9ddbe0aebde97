import { describe, expect, it } from 'vitest';
import { BUILTIN_ADAPTERS, loadBuiltin } from '../src/adapters.js';

describe('the built-in adapter table', () => {
  it('describes each installed adapter exactly as the adapter does (it is listed without loading it)', async () => {
    for (const entry of BUILTIN_ADAPTERS.filter((a) => a.load !== undefined)) {
      const adapter = await loadBuiltin(entry.name);
      expect({
        name: adapter.name,
        packageName: adapter.packageName,
        description: adapter.description,
        meshVersions: adapter.meshVersions,
      }).toEqual({
        name: entry.name,
        packageName: entry.packageName,
        description: entry.description,
        meshVersions: entry.meshVersions,
      });
      // The groups the CLI names for an adapter are groups the adapter claims.
      for (const group of entry.groups) {
        const claimed = adapter.nativeKinds.some(
          (k) =>
            k.group === group &&
            adapter.claims({ apiVersion: `${group}/${k.versions[0] ?? 'v1'}`, kind: k.kind }),
        );
        expect(
          claimed || adapter.claims({ apiVersion: `${group}/v1`, kind: 'Anything' }),
          `${entry.name} does not claim ${group}`,
        ).toBe(true);
      }
    }
  });
});
