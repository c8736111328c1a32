/**
 * Schema-first validation. A field declares its type, its constraints and — next to them — the catalog
 * code each failure answers. The same declaration gives the TypeScript type (`Infer`), the validator
 * (`validate`) and the OpenAPI schema (`jsonSchema`). Rules of core.md §2.2: `null` is absent, `""` is
 * absent unless a field says otherwise, int fields accept strings of ASCII digits, unknown members are
 * ignored, fields are checked in declaration order and "missing" before "invalid".
 */
import { ApiError, type ErrorName } from '../catalog/index.ts';

export type JsonSchema = Record<string, unknown>;

export interface Codes {
  missing?: ErrorName;
  invalid?: ErrorName;
}

const INVALID: unique symbol = Symbol('invalid');
type Coerced<T> = T | typeof INVALID;

/**
 * What a rule sees besides its own value: the fields of the same object accepted so far (declaration order)
 * and what the caller of `validate` passed (the pipeline passes the authenticated user). Lets a rule that
 * involves another field or the caller run at its field's place in the documented order.
 */
export interface RuleScope {
  values: Readonly<Record<string, unknown>>;
  context: ValidationContext;
}

export interface ValidationContext {
  user?: { id: number; user_name: string };
  /** The request's headers (lower-case names), for a parameter that may come as a header (`namespace`). */
  headers?: Readonly<Record<string, string | string[] | undefined>>;
}

interface Rule<T> {
  ok: (value: T, scope: RuleScope) => boolean;
  code?: ErrorName;
  describe?: string;
}

interface Ctx {
  param: string;
  defaults: Codes;
  scope?: RuleScope;
}

export abstract class Field<T, R extends boolean = boolean> {
  declare readonly _type: T;
  declare readonly _required: R;
  isRequired = false;
  emptyIsAbsent = true;
  codes: Codes = {};
  aliases: string[] = [];
  rules: Rule<T>[] = [];
  description: string | undefined;
  defaultValue: T | undefined;

  /** Turns a present (non-null) raw value into T, or INVALID. */
  protected abstract coerce(raw: unknown, ctx: Ctx): Coerced<T>;
  protected abstract baseSchema(): JsonSchema;

  required(): Field<T, true> {
    this.isRequired = true;
    return this as unknown as Field<T, true>;
  }
  /** The code answered when the field is absent (required fields only). */
  missing(code: ErrorName): this {
    this.codes.missing = code;
    return this;
  }
  /** The code answered when the value has the wrong type or breaks a constraint without its own code. */
  invalid(code: ErrorName): this {
    this.codes.invalid = code;
    return this;
  }
  /** An extra rule with its own code (for example a name format with a dedicated catalog entry). */
  rule(ok: (value: T, scope: RuleScope) => boolean, code?: ErrorName, describe?: string): this {
    this.rules.push({ ok, code, describe });
    return this;
  }
  /** Also read the value from these member names when the main one is absent (`namespace_Id`). */
  alias(...names: string[]): this {
    this.aliases.push(...names);
    return this;
  }
  describe(text: string): this {
    this.description = text;
    return this;
  }
  default(value: T): Field<T, true> {
    this.defaultValue = value;
    return this as unknown as Field<T, true>;
  }
  /** Keep `""` as a value (validated like any other string) instead of treating it as absent. */
  keepEmpty(): this {
    this.emptyIsAbsent = false;
    return this;
  }

  isAbsent(raw: unknown): boolean {
    return raw === undefined || raw === null || (raw === '' && this.emptyIsAbsent);
  }

  parse(raw: unknown, ctx: Ctx): T | undefined {
    if (this.isAbsent(raw)) {
      if (this.isRequired) throw fail(this.codes.missing ?? ctx.defaults.missing ?? this.invalidCode(ctx), ctx.param);
      return this.defaultValue;
    }
    const value = this.coerce(raw, ctx);
    if (value === INVALID) throw fail(this.invalidCode(ctx), ctx.param);
    for (const rule of this.rules) {
      if (!rule.ok(value, ctx.scope ?? { values: {}, context: {} })) throw fail(rule.code ?? this.invalidCode(ctx), ctx.param);
    }
    return value;
  }

  invalidCode(ctx: Ctx): ErrorName {
    const code = this.codes.invalid ?? ctx.defaults.invalid;
    if (!code) throw new Error(`schema field ${ctx.param} declares no invalid code`);
    return code;
  }

  jsonSchema(): JsonSchema {
    const s: JsonSchema = { ...this.baseSchema() };
    if (this.description) s.description = this.description;
    if (this.defaultValue !== undefined) s.default = this.defaultValue;
    return s;
  }

  /** Every catalog code this field can answer (for the OpenAPI `x-error-codes`). */
  errorCodes(defaults: Codes): ErrorName[] {
    const out = new Set<ErrorName>();
    if (this.isRequired) {
      const m = this.codes.missing ?? defaults.missing ?? this.codes.invalid ?? defaults.invalid;
      if (m) out.add(m);
    }
    const inv = this.codes.invalid ?? defaults.invalid;
    if (inv) out.add(inv);
    for (const r of this.rules) if (r.code) out.add(r.code);
    for (const c of this.nestedCodes(defaults)) out.add(c);
    return [...out];
  }
  protected nestedCodes(_defaults: Codes): ErrorName[] {
    return [];
  }
}

function fail(code: ErrorName, param: string): ApiError {
  return new ApiError(code, { param });
}

interface StringOpts { min?: number; max?: number; pattern?: RegExp; enum?: readonly string[] }

export class StringField<T extends string = string> extends Field<T> {
  constructor(private readonly opts: StringOpts = {}) { super(); }
  protected coerce(raw: unknown): Coerced<T> {
    if (typeof raw !== 'string') return INVALID;
    const { min, max, pattern } = this.opts;
    const length = [...raw].length;
    if (min !== undefined && length < min) return INVALID;
    if (max !== undefined && length > max) return INVALID;
    if (pattern && !pattern.test(raw)) return INVALID;
    if (this.opts.enum && !this.opts.enum.includes(raw)) return INVALID;
    return raw as T;
  }
  protected baseSchema(): JsonSchema {
    const s: JsonSchema = { type: 'string' };
    if (this.opts.min !== undefined) s.minLength = this.opts.min;
    if (this.opts.max !== undefined) s.maxLength = this.opts.max;
    if (this.opts.pattern) s.pattern = this.opts.pattern.source;
    if (this.opts.enum) s.enum = [...this.opts.enum];
    return s;
  }
}

interface NumberOpts { min?: number; max?: number; integer?: boolean; enum?: readonly number[] }

/** Numbers; integers also accept a JSON string of ASCII digits with an optional leading `-` (core.md §2.2). */
export class NumberField extends Field<number> {
  constructor(private readonly opts: NumberOpts = {}) { super(); }
  protected coerce(raw: unknown): Coerced<number> {
    let n: number;
    if (typeof raw === 'number') n = raw;
    else if (typeof raw === 'string' && (this.opts.integer ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/).test(raw)) n = Number(raw);
    else return INVALID;
    if (!Number.isFinite(n)) return INVALID;
    if (this.opts.integer && !Number.isSafeInteger(n)) return INVALID;
    if (this.opts.min !== undefined && n < this.opts.min) return INVALID;
    if (this.opts.max !== undefined && n > this.opts.max) return INVALID;
    if (this.opts.enum && !this.opts.enum.includes(n)) return INVALID;
    return n;
  }
  protected baseSchema(): JsonSchema {
    const s: JsonSchema = { type: this.opts.integer ? 'integer' : 'number' };
    if (this.opts.min !== undefined) s.minimum = this.opts.min;
    if (this.opts.max !== undefined) s.maximum = this.opts.max;
    if (this.opts.enum) s.enum = [...this.opts.enum];
    return s;
  }
}

export class BooleanField extends Field<boolean> {
  protected coerce(raw: unknown): Coerced<boolean> {
    return typeof raw === 'boolean' ? raw : INVALID;
  }
  protected baseSchema(): JsonSchema {
    return { type: 'boolean' };
  }
}

interface ArrayOpts { min?: number; max?: number }

/** Arrays: the array's own failures use this field's codes, each element's failures use the item's. */
export class ArrayField<T> extends Field<T[]> {
  constructor(private readonly item: Field<T>, private readonly opts: ArrayOpts = {}) {
    super();
    this.emptyIsAbsent = false;
  }
  protected coerce(raw: unknown, ctx: Ctx): Coerced<T[]> {
    if (!Array.isArray(raw)) return INVALID;
    if (this.opts.min !== undefined && raw.length < this.opts.min) return INVALID;
    if (this.opts.max !== undefined && raw.length > this.opts.max) return INVALID;
    const itemDefaults = { missing: this.codes.missing ?? ctx.defaults.missing, invalid: this.invalidCode(ctx) };
    return raw.map((element, i) => {
      const param = `${ctx.param}[${i}]`;
      // An element that is null is not "absent": it is a wrong value for a present slot.
      if (element === null || element === undefined) throw fail(this.item.codes.invalid ?? itemDefaults.invalid, param);
      return this.item.parse(element, { param, defaults: itemDefaults, scope: ctx.scope }) as T;
    });
  }
  protected baseSchema(): JsonSchema {
    const s: JsonSchema = { type: 'array', items: this.item.jsonSchema() };
    if (this.opts.min !== undefined) s.minItems = this.opts.min;
    if (this.opts.max !== undefined) s.maxItems = this.opts.max;
    return s;
  }
  protected override nestedCodes(defaults: Codes): ErrorName[] {
    return this.item.errorCodes({ missing: this.codes.missing ?? defaults.missing, invalid: this.codes.invalid ?? defaults.invalid });
  }
}

export type Shape = Record<string, Field<any, boolean>>;

export type Infer<S extends Shape> = {
  [K in keyof S as S[K] extends Field<any, true> ? K : never]: S[K]['_type'];
} & {
  [K in keyof S as S[K] extends Field<any, true> ? never : K]?: S[K]['_type'];
};

/** A nested JSON object with its own fields; its fields inherit this field's codes unless they declare their own. */
export class ObjectField<S extends Shape> extends Field<Infer<S>> {
  constructor(readonly shape: S) {
    super();
    this.emptyIsAbsent = false;
  }
  protected coerce(raw: unknown, ctx: Ctx): Coerced<Infer<S>> {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return INVALID;
    const defaults = { missing: this.codes.missing ?? ctx.defaults.missing, invalid: this.codes.invalid ?? ctx.defaults.invalid };
    return parseShape(this.shape, raw as Record<string, unknown>, defaults, `${ctx.param}.`, ctx.scope?.context);
  }
  protected baseSchema(): JsonSchema {
    return shapeSchema(this.shape, {});
  }
  protected override nestedCodes(defaults: Codes): ErrorName[] {
    return shapeCodes(this.shape, { missing: this.codes.missing ?? defaults.missing, invalid: this.codes.invalid ?? defaults.invalid });
  }
}

/** Any JSON value, passed through untouched (validated by the domain's own rules). */
export class AnyField extends Field<unknown> {
  protected coerce(raw: unknown): unknown {
    return raw;
  }
  protected baseSchema(): JsonSchema {
    return {};
  }
}

export const f = {
  string: <T extends string = string>(opts?: StringOpts) => new StringField<T>(opts),
  int: (opts?: Omit<NumberOpts, 'integer'>) => new NumberField({ ...opts, integer: true }),
  number: (opts?: Omit<NumberOpts, 'integer'>) => new NumberField(opts),
  boolean: () => new BooleanField(),
  array: <T>(item: Field<T, any>, opts?: ArrayOpts) => new ArrayField<T>(item as Field<T>, opts),
  object: <S extends Shape>(shape: S) => new ObjectField<S>(shape),
  any: () => new AnyField(),
};

function parseShape<S extends Shape>(shape: S, input: Record<string, unknown>, defaults: Codes, prefix: string, context: ValidationContext = {}): Infer<S> {
  const out: Record<string, unknown> = {};
  const scope: RuleScope = { values: out, context };
  for (const [name, field] of Object.entries(shape)) {
    let raw = input[name];
    if (field.isAbsent(raw)) for (const alias of field.aliases) if (!field.isAbsent(input[alias])) { raw = input[alias]; break; }
    const value = field.parse(raw, { param: prefix + name, defaults, scope });
    if (value !== undefined) out[name] = value;
  }
  return out as Infer<S>;
}

function shapeSchema(shape: Shape, defaults: Codes): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, field] of Object.entries(shape)) {
    properties[name] = { ...field.jsonSchema(), 'x-error-codes': field.errorCodes(defaults) };
    if (field.isRequired) required.push(name);
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}) };
}

function shapeCodes(shape: Shape, defaults: Codes): ErrorName[] {
  return [...new Set(Object.values(shape).flatMap((field) => field.errorCodes(defaults)))];
}

/**
 * A top-level object schema (request body or query string) with the family's default missing/invalid codes.
 * Query strings hold strings only, which int fields accept (core.md §2.3).
 */
export class ObjectSchema<S extends Shape> {
  constructor(readonly shape: S, readonly defaults: Codes) {}
  validate(input: Record<string, unknown>, context: ValidationContext = {}): Infer<S> {
    return parseShape(this.shape, input, this.defaults, '', context);
  }
  jsonSchema(): JsonSchema {
    return shapeSchema(this.shape, this.defaults);
  }
  errorCodes(): ErrorName[] {
    return shapeCodes(this.shape, this.defaults);
  }
}

export function schema<S extends Shape>(shape: S, defaults: Codes): ObjectSchema<S> {
  return new ObjectSchema(shape, defaults);
}
