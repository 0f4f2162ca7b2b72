import { Ajv2020 } from 'ajv/dist/2020.js';
import type { JsonSchema } from '../../../src/providers/types.js';

/** What a JSON Schema validator (ajv, 2020-12, as editors use billgraph.schema.json) says of values. */
export interface SchemaVerdict {
  /** The value as validated, with the schema's defaults filled in. */
  readonly value: unknown;
  /** "<instancePath> <keyword>" per problem, e.g. "/apiKey minLength"; empty when valid. */
  readonly problems: string[];
}

/** Compiles `schema` strictly (unknown keywords are errors); `check` validates a copy of a value. */
export function schemaChecker(schema: JsonSchema): (value: unknown) => SchemaVerdict {
  const validate = new Ajv2020({ strict: true, strictRequired: false, allErrors: true, useDefaults: true }).compile(
    schema,
  );
  return (value) => {
    const copy = structuredClone(value);
    validate(copy);
    return {
      value: copy,
      problems: (validate.errors ?? []).map((e) =>
        `${e.instancePath} ${e.keyword}${e.keyword === 'required' ? ` ${String(e.params.missingProperty)}` : ''}`.trim(),
      ),
    };
  };
}
