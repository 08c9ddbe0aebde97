import { describe, expect, test } from 'vitest';
import {
  isLabelName,
  promqlRange,
  promqlString,
  selector,
  withDerivedLabels,
} from '../src/index.js';

describe('promqlString', () => {
  test.each([
    ['web', '"web"'],
    ['a"b', '"a\\"b"'],
    ['a\\b', '"a\\\\b"'],
    ['x"} or vector(1) #', '"x\\"} or vector(1) #"'],
    ['line\nbreak\ttab\r', '"line\\nbreak\\ttab\\r"'],
    ['\u0000\u001f\u007f', '"\\x00\\x1f\\x7f"'],
    ['café ✓', '"café ✓"'],
  ])('%j is one string token', (value, quoted) => {
    expect(promqlString(value)).toBe(quoted);
  });

  test('never lets a quote end the string early', () => {
    const quoted = promqlString('"\\"\\\\"');
    // Every quote inside is preceded by an odd number of backslashes.
    const inner = quoted.slice(1, -1);
    for (let i = 0; i < inner.length; i++) {
      if (inner[i] !== '"') continue;
      let slashes = 0;
      for (let j = i - 1; j >= 0 && inner[j] === '\\'; j--) slashes++;
      expect(slashes % 2).toBe(1);
    }
  });
});

test('selectors, derived labels and ranges', () => {
  expect(
    selector('up', [
      { label: 'job', op: '=', value: 'a"b' },
      { label: 'pod', op: '=~', value: 'web-.+' },
      { label: 'x', op: '!=', value: '' },
    ]),
  ).toBe('up{job="a\\"b", pod=~"web-.+", x!=""}');
  expect(
    withDerivedLabels('up', [
      { label: 'a', from: 'b', regex: '(x)\\.y', replacement: '$1' },
      { label: 'c', from: 'd', regex: '.*', replacement: 'z' },
    ]),
  ).toBe('label_replace(label_replace(up, "a", "$1", "b", "(x)\\\\.y"), "c", "z", "d", ".*")');
  expect(promqlRange(30_000)).toBe('30s');
  expect(promqlRange(90_000)).toBe('90s');
  expect(promqlRange(1_500)).toBe('1500ms');
});

test('label names', () => {
  expect(['pod', '_x', 'kubernetes_pod_name', 'A9'].every(isLabelName)).toBe(true);
  expect(['', '9a', 'a-b', 'a.b', 'a b', 'pod"'].some(isLabelName)).toBe(false);
});
