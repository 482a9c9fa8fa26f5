// The part of zod linkman's schemas use, named one by one: the bin requires this module whole
// (src/cli/zodOnDemand.ts), and `export *` would keep all of zod, its 40 locales included.
export {
  array,
  boolean,
  discriminatedUnion,
  enum,
  intersection,
  literal,
  null,
  number,
  object,
  partialRecord,
  record,
  strictObject,
  string,
  toJSONSchema,
  union,
  unknown,
} from "zod";
