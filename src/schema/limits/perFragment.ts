import { Kind, type DocumentNode, type FragmentDefinitionNode } from 'graphql';

/**
 * A measure of the document's named fragments, each computed once and reused wherever it is
 * spread: ten fragments each spreading the previous one ten times are ten measurements, not 10^9.
 * A fragment in a cycle (NoFragmentsCycles reports it) or unknown (KnownFragmentNames) measures
 * `none`, so a limit rule never loops on a document graphql-js is about to refuse anyway.
 */
export function perFragment<T>(
  document: DocumentNode,
  measure: (fragment: FragmentDefinitionNode) => T,
  none: T,
): (name: string) => T {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const done = new Map<string, T>();
  const open = new Set<string>();
  return (name) => {
    const known = done.get(name);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    if (!fragment || open.has(name)) return none;
    open.add(name);
    const value = measure(fragment);
    open.delete(name);
    done.set(name, value);
    return value;
  };
}
