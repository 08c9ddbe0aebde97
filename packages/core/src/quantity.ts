/** An exact non-reduced rational number, `num / den` with `den > 0`. */
export interface Rational {
  readonly num: bigint;
  readonly den: bigint;
}

const QUANTITY =
  /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei)|([numkMGTPE])|[eE]([+-]?\d+))?$/;

const BINARY: Record<string, bigint> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};

const DECIMAL_EXPONENT: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** Reduces a rational to lowest terms. */
export function reduce(r: Rational): Rational {
  const g = gcd(r.num, r.den);
  return g <= 1n ? r : { num: r.num / g, den: r.den / g };
}

/**
 * Parses a Kubernetes resource quantity (`1`, `500m`, `1.5`, `2Ki`, `1e3`) exactly. Numbers
 * (YAML may have read `1.5` or `1e3` as one) are accepted through their decimal text.
 * Returns undefined for anything that is not a quantity.
 */
export function parseQuantity(input: string | number): Rational | undefined {
  const text = typeof input === 'number' ? numberText(input) : input.trim();
  if (text === undefined) return undefined;
  const m = QUANTITY.exec(text);
  if (m === null) return undefined;
  const [, sign, digits = '', binary, decimal, exponent] = m;
  const [whole = '', frac = ''] = digits.split('.');
  let num = BigInt(`${whole}${frac}` || '0');
  let den = 10n ** BigInt(frac.length);
  if (binary !== undefined) num *= BINARY[binary] ?? 1n;
  let exp = 0;
  if (decimal !== undefined) exp = DECIMAL_EXPONENT[decimal] ?? 0;
  if (exponent !== undefined) {
    exp = Number(exponent);
    if (!Number.isSafeInteger(exp) || Math.abs(exp) > 1000) return undefined;
  }
  if (exp > 0) num *= 10n ** BigInt(exp);
  if (exp < 0) den *= 10n ** BigInt(-exp);
  if (sign === '-') num = -num;
  return reduce({ num, den });
}

function numberText(n: number): string | undefined {
  if (!Number.isFinite(n)) return undefined;
  // String(1e21) is "1e+21", which the grammar accepts; small fractions use exponents too.
  return String(n);
}

/**
 * Scales rationals to the smallest integers with the same ratios: multiply by the least common
 * multiple of the denominators, then divide by the greatest common divisor. Zero stays zero.
 */
export function scaleToIntegers(values: readonly Rational[]): bigint[] {
  let lcm = 1n;
  for (const v of values) lcm = (lcm / gcd(lcm, v.den)) * v.den;
  const ints = values.map((v) => (v.num * lcm) / v.den);
  let g = 0n;
  for (const i of ints) g = gcd(g, i);
  return g > 1n ? ints.map((i) => i / g) : ints;
}

/** Formats a rational as a plain decimal quantity when it has a finite decimal expansion. */
export function formatQuantity(r: Rational): string | undefined {
  const { num, den } = reduce(r);
  let d = den;
  let twos = 0;
  let fives = 0;
  while (d % 2n === 0n) [d, twos] = [d / 2n, twos + 1];
  while (d % 5n === 0n) [d, fives] = [d / 5n, fives + 1];
  if (d !== 1n) return undefined;
  const places = Math.max(twos, fives);
  const scaled = (num * 10n ** BigInt(places)) / den;
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(places + 1, '0');
  const whole = digits.slice(0, digits.length - places);
  const frac = digits.slice(digits.length - places).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${frac === '' ? '' : `.${frac}`}`;
}
