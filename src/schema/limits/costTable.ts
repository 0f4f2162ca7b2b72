import {
  getDirectiveValues,
  getNamedType,
  getNullableType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  type GraphQLDirective,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql';

/** What the cost estimate knows about one field, read from its SDL directives. */
export interface FieldCost {
  /** @cost(weight): cost units added each time the field resolves (its upstream calls). */
  readonly weight: number;
  /** 1 for each object the field returns, 0 for scalars and enums. */
  readonly objectWeight: number;
  readonly isList: boolean;
  /** @listSize(assumedSize); undefined means limits.defaultListSize. */
  readonly assumedSize: number | undefined;
  readonly slicingArguments: readonly string[];
  /** Child list fields the slicing arguments size (a connection's edges); empty: the field itself. */
  readonly sizedFields: readonly string[];
  /** @perSource: weight and size count once per source asked. */
  readonly perSource: boolean;
  /** @perBucket: the weight counts once per time bucket, not once per window. */
  readonly perBucket: boolean;
  /** Arguments of type TimeWindow: each multiplies the field by its bucket count. */
  readonly windowArguments: readonly string[];
  /** The Granularity argument that buckets the windows, when the field has one. */
  readonly granularityArgument: string | undefined;
  /** True when the estimate needs the field's argument values at all. */
  readonly readsArguments: boolean;
}

/** Per type name (objects and interfaces), per field name. */
export type CostTable = ReadonlyMap<string, ReadonlyMap<string, FieldCost>>;

const directive = (schema: GraphQLSchema, name: string): GraphQLDirective => {
  const found = schema.getDirective(name);
  if (!found) throw new Error(`The schema does not declare @${name}; schema/core.graphql must, for the cost estimate.`);
  return found;
};

/**
 * Reads @cost, @listSize, @perSource and @perBucket from every field once, at start-up, so estimating a
 * request never touches directive ASTs. Interface fields carry their own directives, because a
 * selection on an interface is estimated from the interface's field.
 */
export function readCostTable(schema: GraphQLSchema): CostTable {
  const cost = directive(schema, 'cost');
  const listSize = directive(schema, 'listSize');
  const perSource = directive(schema, 'perSource');
  const perBucket = directive(schema, 'perBucket');
  const table = new Map<string, Map<string, FieldCost>>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
    const fields = new Map<string, FieldCost>();
    for (const field of Object.values(type.getFields()))
      fields.set(field.name, fieldCost(field, { cost, listSize, perSource, perBucket }));
    table.set(type.name, fields);
  }
  return table;
}

function fieldCost(
  field: GraphQLField<unknown, unknown>,
  directives: Record<'cost' | 'listSize' | 'perSource' | 'perBucket', GraphQLDirective>,
): FieldCost {
  const node = field.astNode ?? undefined;
  const costArgs = node ? getDirectiveValues(directives.cost, node) : undefined;
  const sizeArgs = node ? getDirectiveValues(directives.listSize, node) : undefined;
  const perSource = !!(node && getDirectiveValues(directives.perSource, node));
  const perBucket = !!(node && getDirectiveValues(directives.perBucket, node));
  const windowArguments = field.args
    .filter((a) => getNamedType(a.type).name === 'TimeWindow' && !isListType(getNullableType(a.type)))
    .map((a) => a.name);
  const granularityArgument = field.args.find((a) => getNamedType(a.type).name === 'Granularity')?.name;
  const slicingArguments = (sizeArgs?.slicingArguments as string[] | undefined) ?? [];
  for (const name of slicingArguments) {
    if (!field.args.some((a) => a.name === name))
      throw new Error(`@listSize on ${field.name} names slicing argument "${name}", which the field does not have.`);
  }
  return {
    weight: (costArgs?.weight as number | undefined) ?? 0,
    objectWeight: isCompositeType(getNamedType(field.type)) ? 1 : 0,
    isList: isListType(getNullableType(field.type)),
    assumedSize: (sizeArgs?.assumedSize as number | null | undefined) ?? undefined,
    slicingArguments,
    sizedFields: (sizeArgs?.sizedFields as string[] | undefined) ?? [],
    perSource,
    perBucket,
    windowArguments,
    granularityArgument,
    readsArguments: windowArguments.length > 0 || slicingArguments.length > 0 || perSource,
  };
}
