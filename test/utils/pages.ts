import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** Where browser suites leave what a person would want to look at: screenshots of each page. */
export const SCREENSHOT_DIR = join(__dirname, '..', '..', 'test-output', 'screenshots');

/** axe-core from node_modules, evaluated in the page (devtools evaluation is not subject to CSP). */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeFinding {
  page: string;
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/** The serious and critical accessibility violations axe-core finds on the page as it is now. */
export async function axeViolations(page: Page, name: string): Promise<AxeFinding[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (o: unknown) => Promise<unknown> } }).axe;
    const result = (await axe.run({ resultTypes: ['violations'] })) as {
      violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
    };
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ page: name, ...v }));
}

/** A full-page screenshot under test-output/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = name.replace(/[^a-zA-Z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || 'page';
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${file}.png`), fullPage: true });
}
