// The SDK's OpenAPI document (openapi.json) and the types generated from it (src/api-types.ts),
// both committed. The document comes from the built app (dist/apps/cli/src/openapi.js, which
// opens no store), the types from it through openapi-typescript.
//   node packages/sdk/scripts/generate.mjs            rewrite both files
//   node packages/sdk/scripts/generate.mjs --check    exit 1 naming each file that differs
//   ... --document <file>                             take the document from a file instead
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const SDK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROOT_DIR = path.resolve(SDK_DIR, '../..');
const BANNER = '// Generated from openapi.json by scripts/generate.mjs (openapi-typescript): do not edit.\n\n';

const args = process.argv.slice(2);
const check = args.includes('--check');
const documentFile = args.includes('--document') ? args[args.indexOf('--document') + 1] : null;

const documentJson = documentFile
  ? readFileSync(documentFile, 'utf8')
  : execFileSync(process.execPath, [path.join(ROOT_DIR, 'dist/apps/cli/src/openapi.js')], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
// A default is what the service fills in when a field is left out: it must stay optional in requests.
const types = BANNER + astToString(await openapiTS(JSON.parse(documentJson), { defaultNonNullable: false }));

const outputs = [
  [path.join(SDK_DIR, 'openapi.json'), documentJson],
  [path.join(SDK_DIR, 'src/api-types.ts'), types],
];
if (check) {
  const drifted = outputs.filter(([file, text]) => !existsSync(file) || readFileSync(file, 'utf8') !== text).map(([file]) => path.relative(ROOT_DIR, file));
  if (drifted.length > 0) {
    process.stderr.write(`out of date with the API: ${drifted.join(', ')}; run: npm run build && node packages/sdk/scripts/generate.mjs\n`);
    process.exit(1);
  }
} else {
  for (const [file, text] of outputs) writeFileSync(file, text);
}
