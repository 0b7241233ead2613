/** Removes what test/support/global-setup.mjs made. */
import { rmSync } from 'node:fs';

export default function globalTeardown() {
  const folder = process.env.PM_TEST_PGLITE_TEMPLATES;
  if (folder) rmSync(folder, { recursive: true, force: true });
}
