import { describe, expect, it } from 'vitest';
import { formatHint, parseHint } from '../src/common/hint.js';
import { parseServiceHost } from '../src/common/hosts.js';
import { toHeaderMatches } from '../src/common/http-match.js';
import { AppMeshOptionsSchema } from '../src/index.js';

describe('options', () => {
  const issues = (options: unknown) => {
    const parsed = AppMeshOptionsSchema.safeParse(options);
    return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
  };

  it('accepts the defaults and a valid namespace label', () => {
    expect(issues({})).toEqual([]);
    expect(issues({ namespaceLabel: 'example.com/mesh', meshName: 'prod' })).toEqual([]);
  });

  it('rejects a namespace label that is no qualified name', () => {
    expect(issues({ namespaceLabel: 'mesh name' })).toEqual(['namespaceLabel']);
  });

  it('rejects a mesh name that is a DNS name but no label value (it labels namespaces)', () => {
    // 70 characters in two DNS labels: a valid subdomain, too long for a label value (63).
    const name = `${'a'.repeat(35)}.${'b'.repeat(34)}`;
    expect(issues({ meshName: name })).toEqual(['meshName']);
  });
});

describe('the router hint annotation', () => {
  it('records which routes go to the root even when no route needs names', () => {
    const text = formatHint({ fallback: ['web-default'], routes: [] });
    expect(text).toBe('{"fallback":["web-default"]}');
    expect(parseHint(text)).toEqual({ fallback: ['web-default'] });
  });
});

describe('service host names', () => {
  it.each(['9lives.shop', 'web_1.shop.svc.cluster.local', '-web'])(
    '%s names no Service (Service names are DNS-1035 labels)',
    (host) => {
      expect(parseServiceHost(host, 'default', 'cluster.local', () => true)).toBeUndefined();
    },
  );
});

describe('header matches', () => {
  it('refuses values longer than App Mesh stores (255 characters)', () => {
    expect(toHeaderMatches([{ name: 'x-a', value: 'v'.repeat(255) }])).toMatchObject({ ok: true });
    expect(toHeaderMatches([{ name: 'x-a', value: 'v'.repeat(256) }])).toMatchObject({
      ok: false,
    });
  });
});
