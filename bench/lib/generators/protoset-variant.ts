// Makes a copy of a bundle that loads the prebuilt descriptor set
// (client.loadProtoset) instead of parsing proto/open_saves.proto in every VU,
// so the benchmarks can show the effect of that change before it is made in
// scripts/. The copy sits in bench/, one level below the repository root like
// dist/, so every other relative path in the bundle resolves as before.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { REPO_ROOT } from '../../../test/helpers/emulator-process.js';

// esbuild keeps the call as written in scripts/lib/transport/grpc-client.ts: `client.load(["../proto"], "open_saves.proto")`.
const PROTO_LOAD_CALL = /\b([A-Za-z_$][\w$]*)\.load\(\s*\[\s*["']\.\.\/proto["']\s*\]\s*,\s*["']open_saves\.proto["']\s*\)/g;

export class VariantError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VariantError';
  }
}

/** The bundle's source with every proto load replaced by loadProtoset(protosetPath). */
export function withProtoset(source: string, protosetPath: string, bundleName: string): string {
  let replacements = 0;
  const rewritten = source.replace(PROTO_LOAD_CALL, (_call, client: string) => {
    replacements++;
    return `${client}.loadProtoset(${JSON.stringify(protosetPath)})`;
  });
  if (replacements === 0) {
    throw new VariantError(`bundle ${bundleName} has no \`<client>.load(["../proto"], "open_saves.proto")\` call to replace`);
  }
  return rewritten;
}

export interface BundleVariant {
  path: string;
  remove: () => void;
}

export function writeProtosetVariant(bundlePath: string, protosetPath: string): BundleVariant {
  const name = basename(bundlePath, '.js');
  return writeBundleVariant(`${name}-protoset`, withProtoset(readFileSync(bundlePath, 'utf8'), protosetPath, basename(bundlePath)));
}

/** Writes bench/.variant-<name>.js (ignored by git) and returns how to remove it. */
export function writeBundleVariant(name: string, source: string): BundleVariant {
  const path = join(REPO_ROOT, 'bench', `.variant-${name}.js`);
  writeFileSync(path, source);
  return { path, remove: () => rmSync(path, { force: true }) };
}
