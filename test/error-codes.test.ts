import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE, isErrorCode, statusesOf, type ErrorCode } from '../src/core/error-codes.js';

/*
 * The error catalogue against the code: every code the server throws (a literal in `new Invalid(…)`,
 * `new Forbidden(…)`, …, `new AppError(status, …)` and the HTTP error handler's `body(…)`) is listed with
 * the status it is thrown with, and every entry has a Chinese and an English message naming the same
 * params. Codes computed at run time (a model's result) are typed ErrorCode, so tsc checks those. That the
 * console and the public pages translate from the catalogue: web/src/locales/errors.test.ts.
 */

const ROOT = join(import.meta.dirname, '..');
const STATUS: Record<string, number> = {
  Invalid: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  TooManyRequests: 429,
};
const DEFAULT_CODE: Record<string, string> = {
  Unauthorized: 'not_signed_in',
  Forbidden: 'forbidden',
  NotFound: 'not_found',
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

function literals(node: ts.Node | undefined): string[] | null {
  if (!node) return null;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isParenthesizedExpression(node)) return literals(node.expression);
  if (ts.isConditionalExpression(node)) {
    const whenTrue = literals(node.whenTrue);
    const whenFalse = literals(node.whenFalse);
    return whenTrue && whenFalse ? [...whenTrue, ...whenFalse] : null;
  }
  return null;
}

interface Thrown {
  code: string;
  status: number | null;
  at: string;
}

/** Every error code written as a literal where an error is built, with the status it is built with. */
function thrownCodes(): Thrown[] {
  const out: Thrown[] = [];
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const at = (node: ts.Node) =>
      `${relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) {
        const cls = node.expression.text;
        const args = node.arguments ?? [];
        if (cls === 'AppError') {
          const status = args[0] && ts.isNumericLiteral(args[0]) ? Number(args[0].text) : null;
          for (const code of literals(args[1]) ?? []) out.push({ code, status, at: at(node) });
        } else if (cls in STATUS) {
          const codes =
            cls === 'NotFound' ? ['not_found'] : args[0] ? literals(args[0]) : [DEFAULT_CODE[cls]];
          for (const code of codes ?? [])
            if (code) out.push({ code, status: STATUS[cls] ?? null, at: at(node) });
        }
      }
      // A subclass of AppError: super(status, code, …).
      if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword) {
        const [statusArg, codeArg] = node.arguments;
        if (statusArg && ts.isNumericLiteral(statusArg)) {
          for (const code of literals(codeArg) ?? [])
            out.push({ code, status: Number(statusArg.text), at: at(node) });
        }
      }
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'body') {
        for (const code of literals(node.arguments[0]) ?? []) out.push({ code, status: null, at: at(node) });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return out;
}

const PARAM = /\{\{\s*(\w+)\s*\}\}/g;
const params = (message: string) => [...message.matchAll(PARAM)].map((m) => m[1]).sort();

describe('the error catalogue', () => {
  const thrown = thrownCodes();

  it('finds the codes thrown in src/ (the scan itself works)', () => {
    const codes = new Set(thrown.map((t) => t.code));
    for (const code of ['outside_scope', 'not_found', 'forbidden', 'invalid_input', 'case_wrong_state']) {
      expect(codes).toContain(code);
    }
    expect(codes.size).toBeGreaterThan(100);
  });

  it('lists every code thrown, with the status it is thrown with', () => {
    const missing = thrown.filter((t) => !isErrorCode(t.code)).map((t) => `${t.code} (${t.at})`);
    expect(missing).toEqual([]);
    const wrongStatus = thrown
      .filter((t) => t.status !== null && isErrorCode(t.code) && !statusesOf(t.code).includes(t.status))
      .map(
        (t) =>
          `${t.code}: thrown with ${t.status} at ${t.at}, catalogued ${statusesOf(t.code as ErrorCode).join('/')}`,
      );
    expect(wrongStatus).toEqual([]);
  });

  it('has a Chinese and an English message for every code, naming the same params', () => {
    const problems: string[] = [];
    for (const [code, [status, zh, en]] of Object.entries(ERROR_CATALOGUE)) {
      const statuses: readonly number[] = typeof status === 'number' ? [status] : status;
      if (!/^[a-z][a-z0-9_]*$/.test(code)) problems.push(`${code}: not snake_case`);
      if (statuses.some((s) => s < 400 || s > 599)) problems.push(`${code}: status ${String(status)}`);
      if (!/[\u4e00-\u9fff]/.test(zh)) problems.push(`${code}: the Chinese message has no Chinese`);
      if (en.trim() === '' || /[\u4e00-\u9fff]{3}/.test(en.replace(/（.*?）|\(.*?\)/g, ''))) {
        problems.push(`${code}: the English message is missing or Chinese`);
      }
      if (params(zh).join() !== params(en).join()) problems.push(`${code}: params differ between zh and en`);
    }
    expect(problems).toEqual([]);
  });
});
