// Error classes. Each carries the context a user needs to fix the input; the CLI prints `message` and exits 2.

/** A command-line argument or a configuration file (SLO, prices, baseline) is wrong. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** An input file cannot be read as k6 JSON output. `line` is 1-based when the problem is one line. */
export class InputError extends Error {
  readonly file: string;
  readonly line: number | undefined;

  constructor(file: string, reason: string, line?: number) {
    super(line === undefined ? `${file}: ${reason}` : `${file} line ${line}: ${reason}`);
    this.name = 'InputError';
    this.file = file;
    this.line = line;
  }
}

/** Builds "invalid <thing>; reason: expected <what>, got `<value>`", the house pattern for config messages. */
export function invalid(thing: string, expected: string, got: unknown): ConfigError {
  const shown = typeof got === 'string' ? got : JSON.stringify(got);
  return new ConfigError(`invalid ${thing}; reason: expected ${expected}, got \`${shown}\``);
}
