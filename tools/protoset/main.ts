// CLI: writes the kit's proto as a binary FileDescriptorSet for k6's
// client.loadProtoset(). Usage:
//   tsx tools/protoset/main.ts [--proto-dir proto] [--entry open_saves.proto] [--out dist/open_saves.protoset]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { buildFileDescriptors, encodeDescriptorSet, ProtosetError } from './descriptor-set.js';

const USAGE = 'usage: tsx tools/protoset/main.ts [--proto-dir proto] [--entry open_saves.proto] [--out dist/open_saves.protoset]';

function main(): number {
  let values: { 'proto-dir': string; entry: string; out: string };
  try {
    ({ values } = parseArgs({
      options: {
        'proto-dir': { type: 'string', default: 'proto' },
        entry: { type: 'string', default: 'open_saves.proto' },
        out: { type: 'string', default: 'dist/open_saves.protoset' },
      },
      strict: true,
      allowPositionals: false,
    }) as { values: { 'proto-dir': string; entry: string; out: string } });
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  try {
    const files = buildFileDescriptors(values['proto-dir'], values.entry);
    const bytes = encodeDescriptorSet(files);
    mkdirSync(dirname(values.out), { recursive: true });
    writeFileSync(values.out, bytes);
    console.log(`${values.out}: ${files.length} files, ${bytes.length} bytes (${files.map((f) => f.name).join(', ')})`);
    return 0;
  } catch (error) {
    if (error instanceof ProtosetError) {
      console.error(`protoset: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

process.exitCode = main();
