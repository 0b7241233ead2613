/**
 * Creates a PGlite data folder and exits (argument: the folder). Run as a child process by
 * the PGlite client when a folder is new: initdb's WebAssembly instance leaves about half a
 * gigabyte resident in the process that ran it, which the long-lived service would keep.
 */
import { PGlite } from '@electric-sql/pglite';

const folder = process.argv[2];
if (!folder) {
  process.stderr.write('usage: pglite-initdb-process <data folder>\n');
  process.exit(2);
}
const db = await PGlite.create(folder);
await db.close();
