import { readInput, type MeshModel, type ReadResult } from '../src/index.js';

/** Reads YAML text through the whole pipeline and fails the test on errors. */
export function read(
  text: string,
  options: Parameters<typeof readInput>[1] = {},
): ReadResult & { model: MeshModel } {
  const result = readInput(text, options);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => `${d.code} ${d.message}`).join('\n'));
  return result;
}
