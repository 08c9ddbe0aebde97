import { Option, type Command } from 'commander';

/** Adds the flags shared by reading commands. */
export function addCommonFlags(command: Command): Command {
  return command
    .option(
      '-f, --filename <path...>',
      'input file, directory (recursive) or - for stdin; repeatable',
    )
    .option(
      '--context <path...>',
      'extra context: Namespaces, Services, ServiceAccounts, workloads; repeatable',
    )
    .option(
      '--lenient',
      'repair known real-world variants of SMI objects, with a diagnostic for each',
    )
    .option('--experimental', 'read the unreleased access v1alpha4 draft (IdentityBinding)')
    .option('-n, --namespace <name>', 'namespace for objects that name none', 'default')
    .addOption(
      new Option('--diagnostics <format>', 'diagnostics format on stderr')
        .choices(['text', 'json'])
        .default('text'),
    )
    .addOption(
      new Option('--on-unrepresentable <mode>', 'when a target cannot express a restriction')
        .choices(['error', 'narrow', 'widen'])
        .default('error'),
    )
    .option('--adapter <package|path...>', 'load a third-party adapter; repeatable')
    .option('--set <adapter.key=value...>', 'set an adapter option; repeatable')
    .option('--adapter-options <file>', 'YAML file: adapter name to options');
}
