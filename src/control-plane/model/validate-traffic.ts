/**
 * Validates PUT /v1/services/{id}/traffic against the service it is for: integer percents that
 * sum to 100, revisions that exist, each revision at most once (one weighted cluster each), and
 * tags that are unique DNS labels short enough for `<tag>---<name>-<id>` to stay one label.
 */
import { fail, joinPath, ok, type FieldError, type ValidationResult } from '../../xds/validation.js';
import { maxTagLength } from './names.js';
import { TRAFFIC_SCHEMA } from './schemas.js';
import type { TrafficTarget } from './types.js';
import { validateSchema } from './validate-schema.js';

/** What the checks need to know about the service: its name (tag length) and its revision names. */
export interface TrafficContext {
  readonly serviceName: string;
  readonly revisions: readonly string[];
}

export function validateTraffic(input: unknown, context: TrafficContext): ValidationResult<readonly TrafficTarget[]> {
  const errors: FieldError[] = [];
  validateSchema(TRAFFIC_SCHEMA, input, '', errors);
  const raw = (input as { targets?: unknown } | null)?.targets;
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > 100) return fail(errors);
  // Check the cross-field rules even when some items are malformed, so one answer lists every
  // problem; fields that are themselves invalid are left out of those checks.
  const shapeOk = errors.length === 0;
  const targets: TrafficTarget[] = raw.map((t: { revision?: unknown; percent?: unknown; tag?: unknown }) => ({
    revision: typeof t?.revision === 'string' ? t.revision : '',
    percent: typeof t?.percent === 'number' ? t.percent : 0,
    tag: typeof t?.tag === 'string' ? t.tag : null,
  }));
  const invalid = new Set(errors.map((e) => e.path));
  for (const e of checkTrafficTargets(targets, context)) {
    const fieldInvalid = invalid.has(e.path);
    const sumWithBadPercent = e.path === 'targets' && !shapeOk && [...invalid].some((p) => p.endsWith('.percent') || /^targets\[\d+\]$/.test(p));
    if (!fieldInvalid && !sumWithBadPercent && !(e.path.endsWith('.revision') && targets[indexOf(e.path)]?.revision === '')) errors.push(e);
  }
  return errors.length > 0 ? fail(errors) : ok(targets);
}

function indexOf(path: string): number {
  const m = /^targets\[(\d+)\]/.exec(path);
  return m === null ? -1 : Number(m[1]);
}

/** The cross-field rules alone, for targets the store computes itself (re-checked in its transaction). */
export function checkTrafficTargets(targets: readonly TrafficTarget[], context: TrafficContext): FieldError[] {
  const errors: FieldError[] = [];
  const known = new Set(context.revisions);
  const revisions = new Map<string, number>();
  const tags = new Map<string, number>();
  const tagMax = maxTagLength(context.serviceName);
  let sum = 0;
  targets.forEach((t, i) => {
    const at = joinPath('targets', i);
    sum += t.percent;
    if (!known.has(t.revision)) {
      const have = context.revisions.length === 0 ? 'the service has no revisions yet' : `the service has ${context.revisions.join(', ')}`;
      errors.push({ path: joinPath(at, 'revision'), message: `unknown revision ${JSON.stringify(t.revision)} (${have})` });
    }
    const firstRevision = revisions.get(t.revision);
    if (firstRevision !== undefined) errors.push({ path: joinPath(at, 'revision'), message: `duplicates targets[${firstRevision}].revision; list each revision once` });
    else revisions.set(t.revision, i);
    if (t.tag !== null) {
      const firstTag = tags.get(t.tag);
      if (firstTag !== undefined) errors.push({ path: joinPath(at, 'tag'), message: `duplicates targets[${firstTag}].tag ${JSON.stringify(t.tag)}` });
      else tags.set(t.tag, i);
      if (t.tag.length > tagMax) {
        errors.push({ path: joinPath(at, 'tag'), message: `must be at most ${tagMax} characters so "<tag>---${context.serviceName}-<id>" fits one 63-character DNS label, got ${t.tag.length}` });
      }
    }
  });
  if (targets.length > 0 && sum !== 100) errors.push({ path: 'targets', message: `percents must sum to 100, got ${sum}` });
  return errors;
}
