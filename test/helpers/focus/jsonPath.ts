/**
 * The small JSONPath subset the FOCUS 1.3 model uses in its JSONCheckPath* rules: `$`, `.Key` and
 * `[*]` (e.g. `$.Elements[*].AllocatedRatio`). Anything else is refused so a rule using it is
 * reported as not evaluable instead of being checked against the wrong nodes.
 */
export type PathStep = { key: string } | { each: true };

export function parsePath(path: string): PathStep[] | undefined {
  if (!path.startsWith('$')) return undefined;
  const steps: PathStep[] = [];
  const re = /\.([A-Za-z_][A-Za-z0-9_]*)|\[\*\]/gy;
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const match = re.exec(path);
    if (!match) return undefined;
    steps.push(match[1] === undefined ? { each: true } : { key: match[1] });
  }
  return steps;
}

/** A node a path reaches: `exists` false when the last key is missing from its object. */
export interface PathHit {
  readonly exists: boolean;
  readonly value: unknown;
  /** The object holding the last key (for "key exists" checks), or the node itself. */
  readonly parent: unknown;
}

/** Every node the path reaches; `[*]` over a non-array reaches nothing. */
export function select(root: unknown, steps: readonly PathStep[]): PathHit[] {
  let hits: PathHit[] = [{ exists: true, value: root, parent: undefined }];
  for (const step of steps) {
    const next: PathHit[] = [];
    for (const hit of hits) {
      if (!hit.exists) continue;
      if ('each' in step) {
        if (Array.isArray(hit.value))
          for (const v of hit.value) next.push({ exists: true, value: v, parent: hit.value });
      } else if (hit.value !== null && typeof hit.value === 'object' && !Array.isArray(hit.value)) {
        const obj = hit.value as Record<string, unknown>;
        next.push({ exists: Object.hasOwn(obj, step.key), value: obj[step.key], parent: obj });
      }
    }
    hits = next;
  }
  return hits;
}
