import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { countBuckets } from '../../lib/buckets.js';
import { validateWindow, type TimeWindowInput, type WindowLimits } from '../../lib/timeWindow.js';
import type { Granularity } from '../../models.js';
import type { CostTable, FieldCost } from './costTable.js';

export interface CostInput {
  readonly schema: GraphQLSchema;
  readonly table: CostTable;
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  /** Coerced variable values (getVariableValues), so defaults and scalars are already applied. */
  readonly variables: Record<string, unknown>;
  readonly limits: WindowLimits & { readonly defaultListSize: number };
  /** The sources this request may ask, for @perSource fields. */
  readonly sources: readonly { readonly id: string; readonly provider: string }[];
}

const NO_ARGUMENTS: Record<string, unknown> = {};

/**
 * The estimated cost of one operation (docs/limits.md): every field costs its @cost weight plus
 * 1 per object it returns, list fields multiply their selection by their estimated length, and
 * fields taking a TimeWindow multiply their items (and, with @perBucket, their weight) by the
 * window's bucket count. Each TimeWindow
 * is validated on the way, so a bad window is refused before any resolver runs.
 *
 * Linear in the document: a fragment is estimated once per request (per connection size it is
 * spread under) and its cost multiplied wherever it is used, never expanded again.
 */
export function estimateCost(input: CostInput): number {
  const { schema, table, variables, limits, sources } = input;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of input.document.definitions)
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const fragmentCosts = new Map<string, number>();
  const open = new Set<string>();
  const bucketCounts = new Map<string, number>();

  const included = (node: FieldNode | FragmentSpreadNode | InlineFragmentNode): boolean => {
    if (!node.directives?.length) return true;
    if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
  };

  const bucketsOf = (window: TimeWindowInput, granularity: Granularity, argument: string): number => {
    const key = `${argument}|${window.start}|${window.end}|${window.timeZone ?? 'UTC'}|${granularity}`;
    let count = bucketCounts.get(key);
    if (count === undefined) {
      count = countBuckets(validateWindow(window, limits, argument), granularity, limits, argument);
      bucketCounts.set(key, count);
    }
    return count;
  };

  const sourcesAsked = (args: Record<string, unknown>): number =>
    sources.filter(
      (s) =>
        (!Array.isArray(args.providers) || args.providers.includes(s.provider)) &&
        (typeof args.provider !== 'string' || args.provider === s.provider) &&
        (typeof args.source !== 'string' || args.source === s.id),
    ).length;

  /** The slicing argument bounds the assumed size; without an assumed size it is the size. */
  const listLength = (entry: FieldCost, args: Record<string, unknown>, perSourceCount: number): number => {
    const assumed = (entry.assumedSize ?? limits.defaultListSize) * perSourceCount;
    const slices = entry.slicingArguments
      .map((name) => args[name])
      .filter((v): v is number => typeof v === 'number' && v >= 0);
    if (slices.length === 0) return assumed;
    const slice = Math.max(...slices);
    return entry.assumedSize === undefined ? slice : Math.min(slice, assumed);
  };

  const setCost = (
    set: SelectionSetNode,
    parent: GraphQLCompositeType,
    sized: ReadonlyMap<string, number> | undefined,
  ): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (!included(selection)) continue;
      if (selection.kind === Kind.FIELD) total += fieldCost(selection, parent, sized);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type && isCompositeType(type)) total += setCost(selection.selectionSet, type, sized);
      } else total += fragmentCost(selection.name.value, sized);
    }
    return total;
  };

  const fragmentCost = (name: string, sized: ReadonlyMap<string, number> | undefined): number => {
    const key = sized ? `${name}|${[...sized].join(';')}` : name;
    const known = fragmentCosts.get(key);
    if (known !== undefined) return known;
    const fragment = fragments.get(name);
    const type = fragment && schema.getType(fragment.typeCondition.name.value);
    // Cycles and unknown fragments are validation errors; they never reach here, but must not loop.
    if (!fragment || !type || !isCompositeType(type) || open.has(key)) return 0;
    open.add(key);
    const cost = setCost(fragment.selectionSet, type, sized);
    open.delete(key);
    fragmentCosts.set(key, cost);
    return cost;
  };

  const fieldCost = (
    node: FieldNode,
    parent: GraphQLCompositeType,
    sized: ReadonlyMap<string, number> | undefined,
  ): number => {
    const name = node.name.value;
    // Introspection never calls a source; its size is bounded by the schema and its depth cap.
    if (name.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) return 0;
    const definition = parent.getFields()[name];
    const entry = table.get(parent.name)?.get(name);
    if (!definition || !entry) return 0;
    const args = entry.readsArguments ? getArgumentValues(definition, node, variables) : NO_ARGUMENTS;

    let buckets = 1;
    for (const argument of entry.windowArguments) {
      const window = args[argument] as TimeWindowInput | undefined;
      const granularity = ((entry.granularityArgument && args[entry.granularityArgument]) || 'TOTAL') as Granularity;
      if (window) buckets *= bucketsOf(window, granularity, argument);
    }
    const perSource = entry.perSource ? sourcesAsked(args) : 1;
    // Calls scale with buckets only where the source is asked once per bucket; items always do.
    const calls = entry.weight * (entry.perBucket ? buckets : 1);
    const childType = getNamedType(definition.type);

    if (entry.sizedFields.length > 0) {
      const length = listLength(entry, args, perSource);
      const childSizes = new Map(entry.sizedFields.map((f) => [f, length]));
      const children =
        node.selectionSet && isCompositeType(childType) ? setCost(node.selectionSet, childType, childSizes) : 0;
      return calls * perSource + buckets * (entry.objectWeight + children);
    }
    const children =
      node.selectionSet && isCompositeType(childType) ? setCost(node.selectionSet, childType, undefined) : 0;
    if (entry.isList) {
      const length = sized?.get(name) ?? listLength(entry, args, perSource);
      return calls * perSource + buckets * length * (entry.objectWeight + children);
    }
    return perSource * (calls + buckets * (entry.objectWeight + children));
  };

  const root = schema.getRootType(input.operation.operation);
  return root ? setCost(input.operation.selectionSet, root, undefined) : 0;
}
