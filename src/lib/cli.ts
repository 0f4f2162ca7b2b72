/**
 * The one command-line parser of billgraph's programs (the gateway, the simulators, the bench; scripts/build.mjs
 * calls node:util's parseArgs the same way): node:util's parseArgs, strict, plus `-h`/`--help`. Pure: the caller
 * writes the answer and exits, so a typo never silently starts something.
 */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

type Values<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ options: O & typeof HELP; strict: true; allowPositionals: false; args: string[] }>
>['values'];

export type CommandLine<O extends ParseArgsOptionsConfig> =
  | { readonly kind: 'run'; readonly values: Omit<Values<O>, 'help'> }
  /** `--help` (code 0, usage on stdout) or a mistake (code 2, one line naming it and the usage, on stderr). */
  | { readonly kind: 'exit'; readonly code: 0 | 2; readonly stream: 'stdout' | 'stderr'; readonly text: string };

/** parseArgs's message, said shorter: "unknown option --x", "option --config needs a value", … */
function mistake(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  const name = /'(-[^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && name) return `unknown option ${name}`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL')
    return `unexpected argument ${/'([^']*)'/.exec(message)?.[1] ?? ''} (every option starts with --)`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && name) {
    if (/does not take an argument/.test(message)) return `option ${name} takes no value`;
    return `option ${name} needs a value (${name} VALUE or ${name}=VALUE)`;
  }
  return message;
}

/**
 * Parses `argv` (process.argv.slice(2)) against `options`. `usage` is the whole help text: every option with its
 * unit and default. `program` prefixes a mistake: "billgraph: unknown option --x".
 */
export function parseCommandLine<const O extends ParseArgsOptionsConfig>(
  program: string,
  argv: readonly string[],
  options: O,
  usage: string,
): CommandLine<O> {
  const text = usage.endsWith('\n') ? usage : `${usage}\n`;
  let values: Values<O>;
  try {
    ({ values } = parseArgs({
      options: { ...options, ...HELP },
      args: [...argv],
      strict: true,
      allowPositionals: false,
    }) as { values: Values<O> });
  } catch (error) {
    return { kind: 'exit', code: 2, stream: 'stderr', text: `${program}: ${mistake(error)}\n\n${text}` };
  }
  if ((values as { help?: boolean }).help) return { kind: 'exit', code: 0, stream: 'stdout', text };
  const { help: _help, ...rest } = values as Values<O> & { help?: boolean };
  return { kind: 'run', values: rest as Omit<Values<O>, 'help'> };
}

/** For a program's entry: the values, or (for --help or a mistake) the text written and the process exited. */
export function commandLineOrExit<const O extends ParseArgsOptionsConfig>(
  program: string,
  argv: readonly string[],
  options: O,
  usage: string,
): Omit<Values<O>, 'help'> {
  const line = parseCommandLine(program, argv, options, usage);
  if (line.kind === 'run') return line.values;
  process[line.stream].write(line.text);
  return process.exit(line.code);
}
