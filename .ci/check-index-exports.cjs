#!/usr/bin/env node
// The second half of the module check (`npm run check:modules`, after dependency-cruiser): each
// src/modules/<name>/index.ts, the module's public face, exports only
//   - the Nest module (`…Module`), its public services (`…Service`) and its typed error
//     (`…Error`, `…ErrorCode`: callers catch and compare them), and
//   - types (`export type { … }` or `export { type … }`), any name.
// DTO classes, entities, helpers, constants and CLI functions stay inside the module: another
// module reaches them through a public service or a type; the CLI through the module's `cli.ts`.
// A deliberate exception is listed in ALLOWED below with the reason. See docs/architecture.md.
'use strict';
const { readdirSync, readFileSync, existsSync } = require('node:fs');
const { join } = require('node:path');
const ts = require('typescript');

const PUBLIC_VALUE = /(?:Module|Service|Error|ErrorCode)$/;

/** module → names allowed besides the rule, each with why. Keep it short. */
const ALLOWED = {
  idempotency: {
    // Decorators and the reply helper of every controller that takes an Idempotency-Key (checkout,
    // ledger, followup): Nest decorators are functions, they cannot sit behind a service.
    IdempotencyKeyHeader: 'param decorator',
    ApiIdempotencyKey: 'OpenAPI decorator',
    sendIdempotent: 'sends the stored response byte for byte',
  },
  cases: {
    // The documents store's multipart reader and content-type map, shared with the knowledge
    // base's attachments (crm) so a brochure is checked exactly like a customer's document.
    readUpload: 'the one multipart reader with size and type limits',
    DOCUMENT_TYPES: 'content type → file extension, a constant table',
  },
  followup: {
    // The scheduler's dispatch: the demo seed runs one pass so the agent finds calls waiting.
    FollowupDispatcher: 'a service (the class name says what it does)',
  },
  members: {
    // The public enrolment's body: auth answers that route, as it sends the emailed codes.
    PublicEnrolDto: 'validated by the auth module controller',
  },
  promotions: {
    // Checkout's purchase line extends it: one validation of a basket line (a DTO class has to
    // be a value to be extended).
    BasketLineDto: 'extended by checkout',
  },
};

function exportsOf(file) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const out = [];
  for (const node of source.statements) {
    if (ts.isExportDeclaration(node)) {
      if (!node.exportClause) {
        out.push({ name: '*', typeOnly: node.isTypeOnly });
        continue;
      }
      if (ts.isNamespaceExport(node.exportClause)) {
        out.push({ name: `* as ${node.exportClause.name.text}`, typeOnly: node.isTypeOnly });
        continue;
      }
      for (const el of node.exportClause.elements)
        out.push({ name: el.name.text, typeOnly: node.isTypeOnly || el.isTypeOnly });
    } else if (
      ts.isInterfaceDeclaration(node) ||
      ts.isTypeAliasDeclaration(node) ||
      (ts.canHaveModifiers(node) &&
        ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword))
    ) {
      const typeOnly = ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node);
      if (node.name) out.push({ name: node.name.text, typeOnly });
      else if (ts.isVariableStatement(node))
        for (const d of node.declarationList.declarations)
          out.push({ name: d.name.getText(source), typeOnly: false });
    } else if (ts.isExportAssignment(node)) {
      out.push({ name: 'default', typeOnly: false });
    }
  }
  return out;
}

/** The index exports that break the rule, as `module: name` lines. */
function violations(root) {
  const modules = join(root, 'src', 'modules');
  const found = [];
  for (const name of readdirSync(modules).sort()) {
    const index = join(modules, name, 'index.ts');
    if (!existsSync(index)) continue;
    const allowed = ALLOWED[name] ?? {};
    for (const e of exportsOf(index)) {
      if (e.typeOnly || PUBLIC_VALUE.test(e.name) || e.name in allowed) continue;
      found.push(`${name}: ${e.name}`);
    }
  }
  return found;
}

if (require.main === module) {
  const found = violations(process.cwd());
  if (found.length) {
    console.error(
      `index-exports: ${found.length} export(s) of a module's index.ts that are neither its ` +
        'module, a service, its error nor a type (see .ci/check-index-exports.cjs):\n  ' +
        found.join('\n  '),
    );
    process.exit(1);
  }
  console.log('index-exports: every module index exports its module, services, errors and types');
}

module.exports = { violations, exportsOf };
