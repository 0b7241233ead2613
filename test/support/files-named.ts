/** Files anywhere under `dir` whose name starts with `prefix` (a dataset's files are named by its id). */
import { readdirSync } from 'node:fs';
import path from 'node:path';

export function filesNamed(dir: string, prefix: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.startsWith(prefix))
    .map((entry) => path.join(entry.parentPath, entry.name));
}
