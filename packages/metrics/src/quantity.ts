/**
 * Exact conversion of Prometheus sample values into Kubernetes quantities. Prometheus sends
 * values as decimal text (`"472.5000000000001"`, `"NaN"`, `"+Inf"`); reading that text with
 * bigint arithmetic instead of through a float keeps every digit it carries.
 */

const DECIMAL = /^([+-]?)(\d+)?(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

const SUFFIXES: Readonly<Record<number, string>> = {
  [-3]: 'm',
  0: '',
  3: 'k',
  6: 'M',
  9: 'G',
  12: 'T',
  15: 'P',
  18: 'E',
};

/**
 * Reads a Prometheus sample value and rounds it to the nearest thousandth (half away from
 * zero), returned as an integer count of thousandths: `"472.5000000000001"` gives `472500n`,
 * `"2999.9999999999995"` gives `3000000n`. Returns undefined for `NaN`, `±Inf` and text
 * that is not a decimal number.
 */
export function decimalToMilli(text: string): bigint | undefined {
  const m = DECIMAL.exec(text.trim());
  if (m === null) return undefined;
  const [, sign, whole = '', frac = '', exponent = '0'] = m;
  if (whole === '' && frac === '') return undefined;
  const exp = Number(exponent) - frac.length + 3;
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 1000) return undefined;
  const digits = BigInt(`${whole}${frac}` || '0');
  let milli: bigint;
  if (exp >= 0) {
    milli = digits * 10n ** BigInt(exp);
  } else {
    const divisor = 10n ** BigInt(-exp);
    milli = digits / divisor;
    if ((digits % divisor) * 2n >= divisor) milli += 1n;
  }
  return sign === '-' ? -milli : milli;
}

/**
 * Formats a count of thousandths as the canonical Kubernetes DecimalSI quantity, the string Go's
 * `resource.NewMilliQuantity(v, DecimalSI).String()` produces: `296875m`, `294`, `500m`, `2k`,
 * `1008100m`, `0`.
 */
export function formatMilliQuantity(milli: bigint): string {
  if (milli === 0n) return '0';
  const negative = milli < 0n;
  let mantissa = negative ? -milli : milli;
  let exponent = -3;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent += 1;
  }
  // Go lowers the exponent to a multiple of three by scaling the mantissa up.
  const rest = exponent % 3;
  if (rest === 1 || rest === -2) {
    mantissa *= 10n;
    exponent -= 1;
  } else if (rest === 2 || rest === -1) {
    mantissa *= 100n;
    exponent -= 2;
  }
  const suffix = SUFFIXES[exponent] ?? `e${exponent}`;
  return `${negative ? '-' : ''}${mantissa}${suffix}`;
}
