// `npm run analyze`: runs the prebuilt CLI (analysis/dist/cli.js). When a source changed since the last build, or
// nothing is built yet, builds first (about 0.2 s), so the code that runs is always the code in analysis/src.
import { buildAnalysis, buildIsCurrent } from './build.mjs';

if (!buildIsCurrent()) {
  try {
    await buildAnalysis();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    process.stderr.write(`error: cannot build the analysis into analysis/dist (${reason}); run \`npm ci\` first\n`);
    process.exit(2);
  }
}
const { runCli } = await import('./dist/cli.js');
process.exitCode = await runCli(process.argv.slice(2));
