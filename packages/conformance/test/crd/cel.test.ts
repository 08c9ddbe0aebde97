import { describe, expect, it } from 'vitest';
import { renameOverriddenCalls } from '../../src/crd/cel-program.js';
import { validateObject } from '../../src/crd/index.js';
import { checkSpec, codes, crdSetOf, findings, widget, widgetCrd } from './helpers.js';

type Rule =
  | string
  | {
      rule: string;
      message?: string;
      messageExpression?: string;
      fieldPath?: string;
      reason?: string;
      optionalOldSelf?: boolean;
    };

/** A spec schema with rules on `spec` itself. */
function ruled(properties: Record<string, unknown>, ...rules: Rule[]): Record<string, unknown> {
  return {
    type: 'object',
    properties,
    'x-kubernetes-validations': rules.map((r) => (typeof r === 'string' ? { rule: r } : r)),
  };
}

/** Evaluates one rule on a spec with a value `v` of the given schema; returns the codes. */
function evalRule(
  rule: string,
  value: unknown,
  schema: Record<string, unknown> = { type: 'string' },
): string[] {
  const property = { ...schema, 'x-kubernetes-validations': [{ rule }] };
  const result = checkSpec({ type: 'object', properties: { v: property } }, { v: value });
  return findings(result, true).map((f) => f.code);
}

describe('x-kubernetes-validations', () => {
  const schema = ruled(
    { min: { type: 'integer' }, max: { type: 'integer' } },
    { rule: 'self.min <= self.max', message: 'min must not exceed max' },
    'self.max < 100',
  );

  it('passes when every rule holds, and counts the evaluations', () => {
    const result = checkSpec(schema, { min: 1, max: 2 });
    expect(findings(result, true)).toEqual([]);
    expect(result.cel).toEqual({ evaluated: 2, unsupported: 0 });
  });

  it('reports a failing rule with its message, or the rule itself', () => {
    expect(findings(checkSpec(schema, { min: 150, max: 120 }))).toEqual([
      {
        code: 'crd/cel-failed',
        pointer: '/spec',
        data: { field: 'spec', rule: 'self.min <= self.max', message: 'min must not exceed max' },
      },
      {
        code: 'crd/cel-failed',
        pointer: '/spec',
        data: { field: 'spec', rule: 'self.max < 100', message: 'failed rule: self.max < 100' },
      },
    ]);
  });

  it('uses messageExpression, fieldPath and reason', () => {
    const withDetails = ruled(
      { ports: { type: 'object', additionalProperties: { type: 'integer' } } },
      {
        rule: "!('admin' in self.ports)",
        messageExpression: "'port ' + string(self.ports['admin']) + ' is reserved'",
        message: 'fallback',
        fieldPath: ".ports['admin']",
        reason: 'FieldValueForbidden',
      },
    );
    expect(findings(checkSpec(withDetails, { ports: { admin: 9000 } }))).toEqual([
      {
        code: 'crd/cel-failed',
        pointer: '/spec/ports/admin',
        data: {
          field: 'spec.ports[admin]',
          rule: "!('admin' in self.ports)",
          message: 'port 9000 is reserved',
          reason: 'FieldValueForbidden',
        },
      },
    ]);
  });

  it('falls back to message when messageExpression cannot be evaluated', () => {
    const broken = ruled(
      { a: { type: 'string' } },
      {
        rule: 'false',
        messageExpression: 'self.missing + "!"',
        message: 'plain message',
      },
    );
    expect(findings(checkSpec(broken, { a: 'x' }))[0]?.data?.message).toBe('plain message');
  });

  it('sees optional fields through has(), and absent ones raise an evaluation error', () => {
    const optional = ruled(
      { a: { type: 'string' } },
      "!has(self.a) || self.a != ''",
      "self.a != 'x'",
    );
    expect(codes(checkSpec(optional, {}))).toEqual(['crd/cel-error']);
    expect(findings(checkSpec(optional, {}))[0]?.data).toEqual({
      field: 'spec',
      rule: "self.a != 'x'",
      error: 'No such key: a',
    });
    expect(codes(checkSpec(optional, { a: 'y' }))).toEqual([]);
    expect(codes(checkSpec(optional, { a: '' }))).toEqual(['crd/cel-failed']);
  });

  it('allows has() on any selection, like has(self[0].matches) in Gateway API', () => {
    const rule = 'self.size() > 0 && has(self[0].matches) ? self[0].matches.size() < 2 : true';
    const list = {
      type: 'array',
      items: {
        type: 'object',
        properties: { matches: { type: 'array', items: { type: 'string' } } },
      },
    };
    expect(evalRule(rule, [{ matches: ['a'] }], list)).toEqual([]);
    expect(evalRule(rule, [{}], list)).toEqual([]);
    expect(evalRule(rule, [{ matches: ['a', 'b'] }], list)).toEqual(['crd/cel-failed']);
  });

  it('sees defaults the API server applies before validation', () => {
    const defaulted = ruled({ mode: { type: 'string', default: 'auto' } }, "self.mode == 'auto'");
    expect(codes(checkSpec(defaulted, {}))).toEqual([]);
  });

  it('escapes property names like the API server (namespace, dashes, dots, double underscores)', () => {
    const escaped = ruled(
      {
        namespace: { type: 'string' },
        'x-y': { type: 'string' },
        'a.b': { type: 'string' },
        c__d: { type: 'string' },
      },
      "self.__namespace__ == 'ns' && self.x__dash__y == 'xy' && self.a__dot__b == 'ab' && self.c__underscores__d == 'cd'",
    );
    expect(
      codes(checkSpec(escaped, { namespace: 'ns', 'x-y': 'xy', 'a.b': 'ab', c__d: 'cd' })),
    ).toEqual([]);
  });

  it('keeps map keys (additionalProperties) as written', () => {
    const rule = "self.all(k, k.startsWith('x-')) && self['x-a'] == 'b'";
    expect(
      evalRule(rule, { 'x-a': 'b' }, { type: 'object', additionalProperties: { type: 'string' } }),
    ).toEqual([]);
  });

  it('gives integers as ints and numbers as doubles', () => {
    expect(evalRule('self == 3 && type(self) == int', 3, { type: 'integer' })).toEqual([]);
    expect(evalRule('self == 3.0 && type(self) == double', 3, { type: 'number' })).toEqual([]);
    expect(
      evalRule('type(self) == string || self > 0', 8080, { 'x-kubernetes-int-or-string': true }),
    ).toEqual([]);
  });

  it('exposes apiVersion, kind and metadata.name at the resource root', () => {
    const crd = widgetCrd(
      { type: 'object' },
      {
        root: {
          'x-kubernetes-validations': [
            {
              rule: "self.kind == 'Widget' && self.apiVersion == 'example.com/v1' && self.metadata.name.startsWith('w')",
            },
            {
              rule: '!has(self.metadata.namespace)',
              message: 'only name and generateName are visible',
            },
          ],
        },
      },
    );
    const result = validateObject(widget({}), crdSetOf(crd));
    expect(findings(result, true)).toEqual([]);
    expect(result.cel.evaluated).toBe(2);
  });

  it('evaluates rules of list items for each item and points at the item', () => {
    const list = {
      type: 'array',
      items: {
        type: 'object',
        properties: { w: { type: 'integer' } },
        'x-kubernetes-validations': [{ rule: 'self.w >= 0' }],
      },
    };
    const result = checkSpec(
      { type: 'object', properties: { items: list } },
      { items: [{ w: 1 }, { w: -1 }, { w: 2 }] },
    );
    expect(findings(result).map((f) => f.pointer)).toEqual(['/spec/items/1']);
    expect(result.cel.evaluated).toBe(3);
  });

  it('does not evaluate rules on null values of nullable fields', () => {
    const schema = ruled({
      v: {
        type: 'string',
        nullable: true,
        'x-kubernetes-validations': [{ rule: 'self.size() > 3' }],
      },
    });
    const result = checkSpec(schema, { v: null });
    expect(findings(result, true)).toEqual([]);
    expect(result.cel).toEqual({ evaluated: 0, unsupported: 0 });
  });

  it('evaluates rules written in allOf', () => {
    const schema = {
      type: 'object',
      properties: { a: { type: 'integer' } },
      allOf: [{ 'x-kubernetes-validations': [{ rule: 'self.a > 1' }] }],
    };
    expect(codes(checkSpec(schema, { a: 1 }))).toEqual(['crd/cel-failed']);
  });
});

describe('rules that cannot be evaluated', () => {
  it('reports transition rules (oldSelf) as unsupported, once per rule with a count', () => {
    const list = {
      type: 'array',
      items: {
        type: 'string',
        'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'immutable' }],
      },
    };
    const result = checkSpec({ type: 'object', properties: { l: list } }, { l: ['a', 'b'] });
    expect(findings(result, true)).toEqual([
      {
        code: 'crd/cel-unsupported',
        pointer: '/spec/l/0',
        data: {
          field: 'spec.l[0]',
          rule: 'self == oldSelf',
          reason:
            'transition rule: it compares with the old object (oldSelf), which a new object has not',
          count: 2,
        },
      },
    ]);
    expect(result.diagnostics[0]?.severity).toBe('info');
    expect(result.cel).toEqual({ evaluated: 0, unsupported: 2 });
  });

  it('evaluates optionalOldSelf rules with an empty oldSelf', () => {
    const schema = ruled(
      { a: { type: 'string' } },
      {
        rule: 'oldSelf.orValue(self).a == self.a',
        optionalOldSelf: true,
      },
    );
    const result = checkSpec(schema, { a: 'x' });
    expect(findings(result, true)).toEqual([]);
    expect(result.cel.evaluated).toBe(1);
  });

  it('never passes or fails a rule that uses a function it does not know', () => {
    const result = checkSpec(ruled({ a: { type: 'string' } }, 'self.a.noSuchFunction()'), {
      a: 'x',
    });
    expect(findings(result, true).map((f) => [f.code, f.data?.rule])).toEqual([
      ['crd/cel-unsupported', 'self.a.noSuchFunction()'],
    ]);
    expect(result.cel).toEqual({ evaluated: 0, unsupported: 1 });
  });

  it('counts a runtime gap (an unimplemented format verb) as unsupported, not as a failure', () => {
    expect(evalRule("'%v'.format([self]) != ''", 'x')).toEqual(['crd/cel-unsupported']);
  });
});

describe('Kubernetes CEL library', () => {
  it('matches() runs RE2 (\\z is end of text, which JavaScript reads as "z")', () => {
    expect(evalRule("self.matches(r'x\\z')", 'ax')).toEqual([]);
    expect(evalRule("self.matches(r'x\\z')", 'axz')).toEqual(['crd/cel-failed']);
    expect(evalRule("self.matches('^[a-z]+$')", 'abc')).toEqual([]);
  });

  it('duration() follows Go time.ParseDuration', () => {
    const rule = "duration(self) >= duration('1ms')";
    expect(evalRule(rule, '1.5s')).toEqual([]);
    expect(evalRule(rule, '1h2m')).toEqual([]);
    expect(evalRule(rule, '500us')).toEqual(['crd/cel-failed']);
    expect(evalRule(rule, '5')).toEqual(['crd/cel-error']);
    expect(evalRule(rule, 's')).toEqual(['crd/cel-error']);
  });

  it('duration-format fields are durations', () => {
    expect(
      evalRule("self > duration('1m')", '90s', { type: 'string', format: 'duration' }),
    ).toEqual([]);
  });

  it('url() and isURL() follow Go url.ParseRequestURI (the Istio WasmPlugin rule)', () => {
    const rule =
      'isURL(self) ? (url(self).getScheme() in ["", "http", "https", "file", "oci"]) : (isURL("http://" + self) && url("http://" + self).getScheme() in ["", "http", "https", "file", "oci"])';
    expect(evalRule(rule, 'oci://ghcr.io/org/plugin:1')).toEqual([]);
    expect(evalRule(rule, 'ghcr.io/org/plugin:1')).toEqual([]);
    expect(evalRule(rule, 'ftp://example.com/x')).toEqual(['crd/cel-failed']);
    expect(
      evalRule(
        "url(self).getHost() == 'example.com:80' && url(self).getHostname() == 'example.com' && url(self).getPort() == '80'",
        'https://example.com:80/p',
      ),
    ).toEqual([]);
    expect(
      evalRule(
        "url(self).getEscapedPath() == '/a%20b' && url(self).getQuery()['k'] == ['1', '2']",
        'https://x/a b?k=1&k=2',
      ),
    ).toEqual([]);
    expect(evalRule('isURL(self)', 'https://a:b:c/')).toEqual(['crd/cel-failed']);
    expect(evalRule("url(self).getScheme() == 'https'", 'relative/path')).toEqual([
      'crd/cel-error',
    ]);
  });

  it('quantity() compares exactly', () => {
    expect(
      evalRule(
        "quantity(self).isLessThan(quantity('1Gi')) && quantity('1') == quantity('1000m')",
        '512Mi',
      ),
    ).toEqual([]);
    expect(
      evalRule(
        "quantity(self).compareTo(quantity('1.5')) == 0 && quantity(self).isInteger() == false",
        '1500m',
      ),
    ).toEqual([]);
    expect(evalRule('isQuantity(self)', '1.5.2')).toEqual(['crd/cel-failed']);
    expect(evalRule('quantity(self).add(1).asInteger() == 3', '2')).toEqual([]);
  });

  it('ip() and cidr() follow the API server (no IPv4-mapped IPv6, no leading zeros)', () => {
    expect(
      evalRule("cidr('10.0.0.0/8').containsIP(self) && ip(self).family() == 4", '10.1.2.3'),
    ).toEqual([]);
    expect(evalRule('isIP(self)', '::ffff:1.2.3.4')).toEqual(['crd/cel-failed']);
    expect(evalRule('isIP(self)', '010.1.2.3')).toEqual(['crd/cel-failed']);
    expect(
      evalRule(
        "string(cidr(self).masked()) == '192.168.0.0/16' && cidr(self).prefixLength() == 16",
        '192.168.7.1/16',
      ),
    ).toEqual([]);
    expect(evalRule('ip(self).isLoopback() && !ip(self).isGlobalUnicast()', '::1')).toEqual([]);
    expect(evalRule("string(ip(self)) == '2001:db8::1'", '2001:0DB8:0:0:0:0:0:1')).toEqual([]);
  });

  it('the strings extension counts characters, not UTF-16 units', () => {
    const cases: [string, string][] = [
      ["self.charAt(1) == 'é' && self.indexOf('l') == 2 && self.lastIndexOf('l') == 3", 'hélló'],
      ["self.substring(1, 3) == '😀b' && self.size() == 4", 'a😀bc'],
      ["self.lowerAscii() == 'Àb' && self.upperAscii() == 'ÀB'", 'ÀB'],
      ["self.replace('a', 'o', 1) == 'boa' && self.reverse() == 'aab'", 'baa'],
      ["self.split(',') == ['a', 'b'] && self.split(',', 1) == ['a,b']", 'a,b'],
      ["self.trim() == 'x'", ' \tx\n'],
      ["'%s has %d items (%.2f)'.format([self, 3, 1.5]) == 'x has 3 items (1.50)'", 'x'],
      ["self.find('[0-9]+') == '12' && self.findAll('[0-9]+') == ['12', '3']", 'a12b3'],
      ["self.replace('', '-') == '-a-b-' && self.replace('', '-', 1) == '-ab'", 'ab'],
      // Go skips an empty match right after a previous match.
      ["self.findAll('a*') == ['', 'aaa', ''] && self.findAll('a*', 1) == ['']", 'baaac'],
    ];
    for (const [rule, value] of cases) expect(evalRule(rule, value), rule).toEqual([]);
  });

  it('indexOf past the end differs between cel-go versions, so it is not decided', () => {
    expect(evalRule("self.indexOf('a') == -1", '')).toEqual(['crd/cel-unsupported']);
  });

  it('the lists library', () => {
    const ints = { type: 'array', items: { type: 'integer' } };
    expect(
      evalRule(
        'self.isSorted() && self.sum() == 6 && self.min() == 1 && self.max() == 3 && self.indexOf(2) == 1',
        [1, 2, 3],
        ints,
      ),
    ).toEqual([]);
    expect(evalRule('self.isSorted()', [3, 1], ints)).toEqual(['crd/cel-failed']);
    expect(evalRule('self.min() == 0', [], ints)).toEqual(['crd/cel-error']);
  });

  it('macros and optional values of standard CEL', () => {
    const list = {
      type: 'array',
      items: { type: 'object', properties: { n: { type: 'string' } } },
    };
    expect(
      evalRule(
        "self.exists_one(x, x.n == 'a') && self.map(x, x.n).size() == 2 && self.filter(x, x.n == 'b').size() == 1",
        [{ n: 'a' }, { n: 'b' }],
        list,
      ),
    ).toEqual([]);
    expect(evalRule("self[0].?n.orValue('none') == 'none'", [{}], list)).toEqual([]);
  });
});

describe('renameOverriddenCalls', () => {
  it('renames calls only, never strings, comments or field selections', () => {
    expect(
      renameOverriddenCalls(
        "self.matches('x.matches(y)') && has(self.matches) && self.matches.size() > 0",
      ),
    ).toBe("self.k8s_matches('x.matches(y)') && k8s_has(self.matches) && self.matches.size() > 0");
    expect(renameOverriddenCalls('r"duration(" + duration ("1s") // matches(\n')).toBe(
      'r"duration(" + k8s_duration ("1s") // matches(\n',
    );
    expect(renameOverriddenCalls("'''a ''' + b'\\'matches(' + x.trim()")).toBe(
      "'''a ''' + b'\\'matches(' + x.k8s_trim()",
    );
  });
});
