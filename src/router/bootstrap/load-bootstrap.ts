/**
 * Reads the router's bootstrap file (`switchyard router --config <file>`), the same YAML/JSON
 * envoy.config.bootstrap.v3.Bootstrap Envoy takes with `--config-path`, and validates it.
 *
 * text → YAML/JSON parse (syntax errors with line/column) → strict proto3-JSON reading
 * (unknown fields are errors, as in Envoy) → decodeBootstrap (semantics, cross-references).
 * Every stage returns all its errors; nothing here throws for bad input.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import { parseProtoJson } from '../../xds/proto-json.js';
import { decodeBootstrap } from '../../xds/resources/bootstrap.js';
import type { Bootstrap } from '../../xds/resources/bootstrap.types.js';
import { fail, type FieldError, type ValidationResult } from '../../xds/validation.js';
import { withOneByteStrings } from './one-byte-strings.js';

export type BootstrapFormat = 'yaml' | 'json';

const BOOTSTRAP_TYPE = 'envoy.config.bootstrap.v3.Bootstrap';
/** YAML alias expansion cap, against "billion laughs" documents. */
const MAX_YAML_ALIASES = 1000;

/**
 * Loads and validates a bootstrap file. `.json` files are read as JSON, anything else as YAML
 * (which also accepts JSON). I/O failures come back as a FieldError too, so the caller prints
 * one list and exits.
 */
export async function loadBootstrapFile(path: string): Promise<ValidationResult<Bootstrap>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    return fail([{ path: '', message: `cannot read bootstrap file ${path}: ${(err as Error).message}` }]);
  }
  return loadBootstrapText(text, extname(path).toLowerCase() === '.json' ? 'json' : 'yaml');
}

/** Validates bootstrap text already in memory (tests, `--config-yaml`-style inline config). */
export function loadBootstrapText(text: string, format: BootstrapFormat): ValidationResult<Bootstrap> {
  const parsed = format === 'json' ? parseJsonText(text) : parseYamlText(text);
  if (!parsed.ok) return parsed;
  const message = parseProtoJson(BOOTSTRAP_TYPE, parsed.value);
  if (!message.ok) return message;
  return decodeBootstrap(message.value);
}

function parseYamlText(text: string): ValidationResult<unknown> {
  const doc = parseDocument(text, { merge: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    return fail(
      doc.errors.map((e): FieldError => {
        const pos = e.linePos?.[0];
        const where = pos === undefined ? '' : ` at line ${pos.line}, column ${pos.col}`;
        // prettyErrors appends " at line L, column C:" and a code frame; we keep the position once.
        const text = firstLine(e.message).replace(/ at line \d+, column \d+:?$/, '');
        return { path: '', message: `YAML syntax error${where}: ${text}` };
      }),
    );
  }
  try {
    return { ok: true, value: withOneByteStrings(doc.toJS({ maxAliasCount: MAX_YAML_ALIASES })) };
  } catch (err) {
    return fail([{ path: '', message: `YAML error: ${firstLine((err as Error).message)}` }]);
  }
}

function parseJsonText(text: string): ValidationResult<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    const message = (err as Error).message;
    const position = /at position (\d+)/.exec(message);
    let where = '';
    if (position !== null) {
      const before = text.slice(0, Number(position[1]));
      const line = before.split('\n').length;
      where = ` at line ${line}, column ${before.length - before.lastIndexOf('\n')}`;
    }
    return fail([{ path: '', message: `JSON syntax error${where}: ${firstLine(message)}` }]);
  }
}

function firstLine(message: string): string {
  const nl = message.indexOf('\n');
  return (nl < 0 ? message : message.slice(0, nl)).trim();
}
