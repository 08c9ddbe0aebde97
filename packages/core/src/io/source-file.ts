/** A text the user gave us: a file, standard input, or a string passed to the API. */
export interface SourceFile {
  /** The name as the user gave it (`-` for standard input); used in every diagnostic. */
  readonly path: string;
  readonly text: string;
}

const lineIndexCache = new WeakMap<SourceFile, number[]>();

function lineStarts(file: SourceFile): number[] {
  let starts = lineIndexCache.get(file);
  if (starts === undefined) {
    starts = [0];
    const { text } = file;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    lineIndexCache.set(file, starts);
  }
  return starts;
}

/** Converts a character offset into a 1-based line and column. */
export function positionAt(file: SourceFile, offset: number): { line: number; column: number } {
  const starts = lineStarts(file);
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
}
