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
      for (const kind of adapter.nativeKinds) expect(entry.groups).toContain(kind.group);
    }
  });
});
