// Worker threads start here: the analysis runs from TypeScript sources through tsx, and a worker does not inherit
// the loader of the thread that started it, so load worker.ts through tsx's scoped import.
import { tsImport } from 'tsx/esm/api';

await tsImport('./worker.ts', import.meta.url);
