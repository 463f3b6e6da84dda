import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let root: string | undefined;

/** The project folder (the one with Fidelia's package.json), from src/ or from dist/src/. */
export function projectRoot(): string {
  if (root) return root;
  let dir = __dirname;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (
      existsSync(pkg) &&
      (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'fidelia'
    ) {
      return (root = dir);
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('Fidelia project folder not found');
    dir = parent;
  }
}

export const templatesDir = () => join(projectRoot(), 'templates');
