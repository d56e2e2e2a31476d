// The run's configuration, read once per VU in the init context. A bad value
// aborts the test before any request with the ConfigError's one-line message
// (a thrown error would print a stack trace instead).
import exec from 'k6/execution';
import { loadConfig, type Config } from './config.js';
import { ConfigError } from './errors.js';

function readConfig(): Config {
  try {
    return loadConfig(__ENV);
  } catch (error) {
    if (error instanceof ConfigError) exec.test.abort(error.message);
    throw error;
  }
}

export const config: Config = readConfig();
