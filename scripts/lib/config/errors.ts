// Error classes of the scenario suite. Each carries what a reader needs to fix the problem.

/** A configuration value that cannot be used; raised in the init context, before any request. */
export class ConfigError extends Error {
  readonly variable: string;
  readonly expected: string;
  readonly got: string;

  constructor(variable: string, expected: string, got: string) {
    super(`invalid ${variable}; reason: expected ${expected}, got \`${got}\``);
    this.name = 'ConfigError';
    this.variable = variable;
    this.expected = expected;
    this.got = got;
  }
}
