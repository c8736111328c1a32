/**
 * Schema-first validation. A field declares its type, its constraints and — next to them — the catalog
 * code each failure answers. The same declaration gives the TypeScript type (`Infer`), the validator
 * (`validate`) and the OpenAPI schema (`jsonSchema`). Rules of core.md §2.2: `null` is absent, `""` is
 * absent unless a field says otherwise, int fields accept strings of ASCII digits, unknown members are
 * ignored, fields are checked in declaration order and "missing" before "invalid".
 *
 * Beyond single fields, the vocabulary covers what the reference's tables need: nested objects and arrays
 * of objects (each member with its own codes), rules that read fields accepted earlier (`RuleScope`),
 * fields read only under a condition (`when`), lenient input forms converted before the check (`lenient`),
 * normalisations between checks (`normalize`), per-element uniqueness (`unique`), lists identified by a
 * key member checked on every element first (`keyed`), and maps with checked keys (`f.record`).
 */
import { ApiError, entry, type ErrorName } from '../catalog/index.ts';

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
  /** The members of this object accepted so far. */
  values: Readonly<Record<string, any>>;
  /** This object as received (for a rule that must look ahead, e.g. at a later member's raw form). */
  input: Readonly<Record<string, unknown>>;
  context: ValidationContext;
  /** The enclosing object's scope (nested objects, and objects inside arrays). */
  parent?: RuleScope;
  /** For the members of an array's element: the elements accepted before it (uniqueness in element order). */
  earlier?: readonly unknown[];
}

/** The outermost scope (the request body or query string). */
export function rootScope(scope: RuleScope): RuleScope {
  let s = scope;
  while (s.parent) s = s.parent;
  return s;
}

const EMPTY_SCOPE: RuleScope = { values: {}, input: {}, context: {} };

export interface ValidationContext {
  user?: { id: number; user_name: string };
  /** The request's headers (lower-case names), for a parameter that may come as a header (`namespace`). */
  headers?: Readonly<Record<string, string | string[] | undefined>>;
}

/** One step after coercion, in declaration order: a check with its code, or a normalisation of the value. */
type Step<T> =
  | { ok: (value: T, scope: RuleScope) => boolean; code?: ErrorName; describe?: string }
  | { map: (value: T) => T };

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
  nullIsAbsent = true;
  codes: Codes = {};
  aliases: string[] = [];
  steps: Step<T>[] = [];
  description: string | undefined;
  defaultValue: T | undefined;
  fallbackValue: T | undefined;
  example: unknown;
  condition: { holds: (scope: RuleScope) => boolean; describe: string; otherwise?: Field<T, any> } | undefined;
  private convert: ((raw: unknown) => unknown) | undefined;

  /** Turns a present (non-null) raw value into T, or INVALID. */
  protected abstract coerce(raw: unknown, ctx: Ctx): Coerced<T>;
  protected abstract baseSchema(defaults: Codes): JsonSchema;

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
    this.steps.push({ ok, code, describe });
    return this;
  }
  /** Replaces the value by its normal form; rules declared after it see the normal form (`/var/log` → `/var/log/`). */
  normalize(map: (value: T) => T): this {
    this.steps.push({ map });
    return this;
  }
  /** Accepts another input form by converting it before the type check (an env map `{"K": "v"}` → entries). */
  lenient(convert: (raw: unknown) => unknown): this {
    this.convert = convert;
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
  /** An example value for the generated document (taken from the reference). */
  exampleValue(value: unknown): this {
    this.example = value;
    return this;
  }
  default(value: T): Field<T, true> {
    this.defaultValue = value;
    return this as unknown as Field<T, true>;
  }
  /** A value of the wrong type is replaced by this one instead of refused (fields stored as given, unchecked). */
  fallback(value: T): this {
    this.fallbackValue = value;
    return this;
  }
  /** Keep `""` as a value (validated like any other string) instead of treating it as absent. */
  keepEmpty(): this {
    this.emptyIsAbsent = false;
    return this;
  }
  /** `null` is a wrong value here, not absence. */
  nullIsInvalid(): this {
    this.nullIsAbsent = false;
    return this;
  }
  /**
   * The field is read only when `holds` is true for the fields accepted before it; otherwise `otherwise`
   * reads it (a looser form), or it is ignored. `describe` says when, for the generated document.
   */
  when<O extends boolean = false>(holds: (scope: RuleScope) => boolean, describe: string, otherwise?: Field<T, O>): Field<T, R extends true ? O : false> {
    this.condition = { holds, describe, otherwise };
    return this as unknown as Field<T, R extends true ? O : false>;
  }

  isAbsent(raw: unknown): boolean {
    return raw === undefined || (raw === null && this.nullIsAbsent) || (raw === '' && this.emptyIsAbsent);
  }

  parse(raw: unknown, ctx: Ctx): T | undefined {
    if (this.isAbsent(raw)) {
      if (this.isRequired) throw fail(this.codes.missing ?? ctx.defaults.missing ?? this.invalidCode(ctx), ctx.param);
      return this.defaultValue;
    }
    return this.parsePresent(raw, ctx);
  }

  /** A value that is there (array elements are, even `""`): type, constraints, then the steps in order. */
  parsePresent(raw: unknown, ctx: Ctx): T {
    // U+0000 is never text a client means (and PostgreSQL text cannot hold it): the field's own invalid
    // code, the one its rules answer when it has one (e.g. 4000482 "Invalid description"), else its invalid code.
    if (typeof raw === 'string' && raw.includes('\u0000') && this.fallbackValue === undefined) {
      const ruleCode = this.steps.find((step) => 'code' in step && step.code !== undefined);
      throw fail((ruleCode && 'code' in ruleCode && ruleCode.code) || this.invalidCode(ctx), ctx.param);
    }
    let value = raw === null ? INVALID : this.coerce(this.convert ? this.convert(raw) : raw, ctx);
    if (value === INVALID) {
      if (this.fallbackValue !== undefined) return this.fallbackValue;
      throw fail(this.invalidCode(ctx), ctx.param);
    }
    for (const step of this.steps) {
      if ('map' in step) value = step.map(value);
      else if (!step.ok(value, ctx.scope ?? EMPTY_SCOPE)) throw fail(step.code ?? this.invalidCode(ctx), ctx.param);
    }
    return value;
  }

  invalidCode(ctx: Ctx): ErrorName {
    const code = this.codes.invalid ?? ctx.defaults.invalid;
    if (!code) throw new Error(`schema field ${ctx.param} declares no invalid code`);
    return code;
  }

  jsonSchema(defaults: Codes = {}): JsonSchema {
    const s: JsonSchema = { ...this.baseSchema(defaults) };
    const rules = this.steps.flatMap((step) => ('describe' in step && step.describe ? [step.describe] : []));
    const notes = [this.description, rules.length ? `Also: ${rules.join('; ')}` : undefined, this.condition && `Read only when ${this.condition.describe}`].filter(Boolean);
    if (notes.length) s.description = notes.map((n) => (/[.)]$/.test(n!) ? n : `${n}.`)).join(' ');
    if (this.defaultValue !== undefined) s.default = this.defaultValue;
    if (this.example !== undefined) s.examples = [this.example];
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
    if (inv && this.fallbackValue === undefined) out.add(inv);
    for (const r of this.steps) if ('code' in r && r.code) out.add(r.code);
    for (const c of this.nestedCodes(defaults)) out.add(c);
    for (const c of this.condition?.otherwise?.errorCodes(defaults) ?? []) out.add(c);
    return [...out];
  }
  protected nestedCodes(_defaults: Codes): ErrorName[] {
    return [];
  }
}

function fail(code: ErrorName, param: string): ApiError {
  return new ApiError(code, { param });
}

interface StringOpts {
  min?: number;
  max?: number;
  pattern?: RegExp;
  enum?: readonly string[];
  /** Matched case-insensitively: the value is brought to this case before the checks (and kept so). */
  case?: 'upper' | 'lower';
  /**
   * The closed set of values that exist, for the document's `enum`; not checked here, because a value of the
   * right form that names nothing has its own "No such" code, answered later by the lookup.
   */
  known?: readonly string[];
}

export class StringField<T extends string = string> extends Field<T> {
  constructor(private readonly opts: StringOpts = {}) { super(); }
  protected coerce(raw: unknown): Coerced<T> {
    // U+0000 is never text a client means (and PostgreSQL text cannot hold it): the field's invalid code.
    if (typeof raw !== 'string' || raw.includes('\u0000')) return INVALID;
    const { min, max, pattern } = this.opts;
    const value = this.opts.case === 'upper' ? raw.toUpperCase() : this.opts.case === 'lower' ? raw.toLowerCase() : raw;
    const length = [...value].length;
    if (min !== undefined && length < min) return INVALID;
    if (max !== undefined && length > max) return INVALID;
    if (pattern && !pattern.test(value)) return INVALID;
    if (this.opts.enum && !this.opts.enum.includes(value)) return INVALID;
    return value as T;
  }
  protected baseSchema(): JsonSchema {
    const s: JsonSchema = { type: 'string' };
    if (this.opts.min !== undefined) s.minLength = this.opts.min;
    if (this.opts.max !== undefined) s.maxLength = this.opts.max;
    if (this.opts.pattern) s.pattern = this.opts.pattern.source;
    if (this.opts.enum ?? this.opts.known) s.enum = [...(this.opts.enum ?? this.opts.known)!];
    if (this.opts.case) s['x-case-insensitive'] = true; // matched in any case, stored and emitted in this one
    return s;
  }
}

interface NumberOpts {
  min?: number;
  max?: number;
  integer?: boolean;
  enum?: readonly number[];
  /** An integer beyond 2^53 − 1 becomes this value instead of a type error (an id that names nothing). */
  tooLarge?: number;
}

/** Numbers; integers also accept a JSON string of ASCII digits with an optional leading `-` (core.md §2.2). */
export class NumberField extends Field<number> {
  constructor(private readonly opts: NumberOpts = {}) { super(); }
  protected coerce(raw: unknown): Coerced<number> {
    let n: number;
    if (typeof raw === 'number') n = raw;
    else if (typeof raw === 'string' && (this.opts.integer ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/).test(raw)) n = Number(raw);
    else return INVALID;
    if (this.opts.integer && this.opts.tooLarge !== undefined && Number.isInteger(n) && !Number.isSafeInteger(n)) return this.opts.tooLarge;
    if (!Number.isFinite(n)) return INVALID;
    if (this.opts.integer && !Number.isSafeInteger(n)) return INVALID;
    if (this.opts.min !== undefined && n < this.opts.min) return INVALID;
    if (this.opts.max !== undefined && n > this.opts.max) return INVALID;
    if (this.opts.enum && !this.opts.enum.includes(n)) return INVALID;
    return n;
  }
  protected baseSchema(): JsonSchema {
    // A string of digits is accepted too (core.md §2.2), as clients of the original API send it.
    const s: JsonSchema = this.opts.integer ? { type: ['integer', 'string'], pattern: '^-?[0-9]+$' } : { type: ['number', 'string'], pattern: '^-?[0-9]+(\\.[0-9]+)?$' };
    if (this.opts.min !== undefined) s.minimum = this.opts.min;
    if (this.opts.max !== undefined) s.maximum = this.opts.max;
    if (this.opts.enum) s.enum = [...this.opts.enum];
    return s;
  }
}

/** Booleans; `lenient` also accepts "true"/"false" in any case and 0/1 as number or string (microservices.md §1.2). */
export class BooleanField extends Field<boolean> {
  constructor(private readonly lenientForms = false) { super(); }
  protected coerce(raw: unknown): Coerced<boolean> {
    if (typeof raw === 'boolean') return raw;
    if (!this.lenientForms) return INVALID;
    if (raw === 0 || raw === '0') return false;
    if (raw === 1 || raw === '1') return true;
    if (typeof raw === 'string' && /^(true|false)$/i.test(raw)) return raw.toLowerCase() === 'true';
    return INVALID;
  }
  protected baseSchema(): JsonSchema {
    return this.lenientForms
      ? { type: ['boolean', 'integer', 'string'], enum: [false, true, 0, 1, '0', '1', 'false', 'true'], 'x-case-insensitive': true }
      : { type: 'boolean' };
  }
}

interface ArrayOpts {
  min?: number;
  max?: number;
  /** The code answered when there are more than `max` elements (checked before the elements). */
  overMax?: ErrorName;
  /** `[]` counts as absent (the field's "missing" code when required). */
  nonEmpty?: boolean;
}

interface Unique<T> { key: (item: T) => unknown; code?: ErrorName }

/** Arrays: the array's own failures use this field's codes, each element's failures use the item's. */
export class ArrayField<T> extends Field<T[]> {
  private readonly uniques: Unique<T>[] = [];
  private keyMember: string | undefined;
  constructor(private readonly item: Field<T>, private readonly opts: ArrayOpts = {}) { super(); }

  override isAbsent(raw: unknown): boolean {
    return super.isAbsent(raw) || (this.opts.nonEmpty === true && Array.isArray(raw) && raw.length === 0);
  }
  /** No two elements share `key(element)`; checked as each element is accepted, so it comes before later elements' own errors. */
  unique(key: (item: T) => unknown, code?: ErrorName): this {
    this.uniques.push({ key, code });
    return this;
  }
  /**
   * The elements are objects identified by this member: it is checked on every element (present, valid,
   * distinct) before any element's other members.
   */
  keyed(member: string): this {
    this.keyMember = member;
    return this;
  }
  protected coerce(raw: unknown, ctx: Ctx): Coerced<T[]> {
    if (!Array.isArray(raw)) return INVALID;
    if (this.opts.min !== undefined && raw.length < this.opts.min) return INVALID;
    if (this.opts.max !== undefined && raw.length > this.opts.max) {
      if (this.opts.overMax) throw fail(this.opts.overMax, ctx.param);
      return INVALID;
    }
    const itemDefaults = this.itemDefaults(ctx.defaults);
    const accepted: T[] = [];
    const itemCtx = (i: number) => ({ param: `${ctx.param}[${i}]`, defaults: itemDefaults, scope: { ...(ctx.scope ?? EMPTY_SCOPE), earlier: accepted } });
    if (this.keyMember) this.checkKeys(raw, itemCtx);
    const seen = this.uniques.map(() => new Set<unknown>());
    return raw.map((element, i) => {
      const value = this.item.parsePresent(element, itemCtx(i));
      accepted.push(value);
      this.uniques.forEach((u, n) => {
        const key = u.key(value);
        if (seen[n]!.has(key)) throw fail(u.code ?? this.item.invalidCode(itemCtx(i)), `${ctx.param}[${i}]`);
        seen[n]!.add(key);
      });
      return value;
    });
  }
  private checkKeys(raw: unknown[], itemCtx: (i: number) => Ctx): void {
    const member = this.keyMember!;
    const keyField = this.item instanceof ObjectField ? (this.item.shape as Shape)[member] : undefined;
    if (!keyField) throw new Error(`keyed array: its items declare no member ${member}`);
    const seen = new Set<unknown>();
    raw.forEach((element, i) => {
      const ctx = itemCtx(i);
      if (typeof element !== 'object' || element === null || Array.isArray(element)) throw fail(this.item.invalidCode(ctx), ctx.param);
      const defaults = { missing: this.item.codes.missing ?? ctx.defaults.missing, invalid: this.item.codes.invalid ?? ctx.defaults.invalid };
      const key = keyField.parse((element as Record<string, unknown>)[member], { param: `${ctx.param}.${member}`, defaults });
      if (seen.has(key)) throw fail(keyField.invalidCode({ param: member, defaults }), `${ctx.param}.${member}`);
      seen.add(key);
    });
  }
  private itemDefaults(defaults: Codes): Codes {
    return { missing: this.codes.missing ?? defaults.missing, invalid: this.codes.invalid ?? defaults.invalid };
  }
  protected baseSchema(defaults: Codes): JsonSchema {
    const s: JsonSchema = { type: 'array', items: this.item.jsonSchema(this.itemDefaults(defaults)) };
    const min = this.opts.nonEmpty ? Math.max(this.opts.min ?? 1, 1) : this.opts.min;
    if (min !== undefined) s.minItems = min;
    if (this.opts.max !== undefined) s.maxItems = this.opts.max;
    if (this.uniques.length) s.uniqueItems = true;
    return s;
  }
  protected override nestedCodes(defaults: Codes): ErrorName[] {
    const codes = this.item.errorCodes(this.itemDefaults(defaults));
    if (this.opts.overMax) codes.push(this.opts.overMax);
    for (const u of this.uniques) if (u.code) codes.push(u.code);
    return codes;
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
  constructor(readonly shape: S) { super(); }
  protected coerce(raw: unknown, ctx: Ctx): Coerced<Infer<S>> {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return INVALID;
    return parseShape(this.shape, raw as Record<string, unknown>, this.memberDefaults(ctx.defaults), `${ctx.param}.`, ctx.scope?.context ?? {}, ctx.scope);
  }
  private memberDefaults(defaults: Codes): Codes {
    return { missing: this.codes.missing ?? defaults.missing, invalid: this.codes.invalid ?? defaults.invalid };
  }
  protected baseSchema(defaults: Codes): JsonSchema {
    return shapeSchema(this.shape, this.memberDefaults(defaults));
  }
  protected override nestedCodes(defaults: Codes): ErrorName[] {
    return shapeCodes(this.shape, this.memberDefaults(defaults));
  }
}

interface RecordOpts { key: RegExp; describeKey: string }

/** A JSON object used as a map (`{"<volume id>": "<mount path>"}`): keys match a pattern, values follow a field. */
export class RecordField<T> extends Field<Record<string, T>> {
  constructor(private readonly value: Field<T, any>, private readonly opts: RecordOpts) { super(); }
  protected coerce(raw: unknown, ctx: Ctx): Coerced<Record<string, T>> {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return INVALID;
    const defaults = { missing: this.codes.missing ?? ctx.defaults.missing, invalid: this.invalidCode(ctx) };
    const out: Record<string, T> = {};
    for (const [key, element] of Object.entries(raw)) {
      const param = `${ctx.param}.${key}`;
      if (!this.opts.key.test(key)) throw fail(this.invalidCode(ctx), param);
      out[key] = this.value.parsePresent(element, { param, defaults, scope: ctx.scope });
    }
    return out;
  }
  protected baseSchema(defaults: Codes): JsonSchema {
    const inherited = { missing: this.codes.missing ?? defaults.missing, invalid: this.codes.invalid ?? defaults.invalid };
    return { type: 'object', propertyNames: { pattern: this.opts.key.source, description: this.opts.describeKey }, additionalProperties: this.value.jsonSchema(inherited) };
  }
  protected override nestedCodes(defaults: Codes): ErrorName[] {
    return this.value.errorCodes({ missing: this.codes.missing ?? defaults.missing, invalid: this.codes.invalid ?? defaults.invalid });
  }
}

export const f = {
  string: <T extends string = string>(opts?: StringOpts) => new StringField<T>(opts),
  int: (opts?: Omit<NumberOpts, 'integer'>) => new NumberField({ ...opts, integer: true }),
  number: (opts?: Omit<NumberOpts, 'integer' | 'tooLarge'>) => new NumberField(opts),
  /** `lenient`: also "true"/"false" (any case) and 0/1 as number or string. */
  boolean: (opts: { lenient?: boolean } = {}) => new BooleanField(opts.lenient),
  array: <T>(item: Field<T, any>, opts?: ArrayOpts) => new ArrayField<T>(item as Field<T>, opts),
  object: <S extends Shape>(shape: S) => new ObjectField<S>(shape),
  record: <T>(value: Field<T, any>, opts: RecordOpts) => new RecordField<T>(value, opts),
};

function parseShape<S extends Shape>(shape: S, input: Record<string, unknown>, defaults: Codes, prefix: string, context: ValidationContext, parent?: RuleScope): Infer<S> {
  const out: Record<string, unknown> = {};
  const scope: RuleScope = { values: out, input, context, parent };
  for (const [name, declared] of Object.entries(shape)) {
    let field: Field<unknown> = declared;
    if (declared.condition && !declared.condition.holds(scope)) {
      if (!declared.condition.otherwise) continue;
      field = declared.condition.otherwise;
    }
    let raw = input[name];
    if (field.isAbsent(raw)) for (const alias of declared.aliases) if (!field.isAbsent(input[alias])) { raw = input[alias]; break; }
    const value = field.parse(raw, { param: prefix + name, defaults, scope });
    if (value !== undefined) out[name] = value;
  }
  return out as Infer<S>;
}

function shapeSchema(shape: Shape, defaults: Codes): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, field] of Object.entries(shape)) {
    properties[name] = { ...field.jsonSchema(defaults), 'x-error-codes': codeNumbers(field.errorCodes(defaults)) };
    if (field.isRequired && !field.condition) required.push(name);
    for (const alias of field.aliases) properties[alias] = { ...field.jsonSchema(defaults), description: `Legacy spelling of ${name}, read when ${name} is absent.`, deprecated: true };
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}) };
}

/** `x-error-codes`, everywhere in the document: the catalog numbers, ascending. */
export function codeNumbers(names: ErrorName[]): number[] {
  return [...new Set(names.map((n) => entry(n).code))].sort((a, b) => a - b);
}

function shapeCodes(shape: Shape, defaults: Codes): ErrorName[] {
  return [...new Set(Object.values(shape).flatMap((field) => field.errorCodes(defaults)))];
}

/**
 * A top-level object schema (request body or query string) with the family's default missing/invalid codes.
 * Query strings hold strings only, which int fields accept (core.md §2.3).
 */
export class ObjectSchema<S extends Shape> {
  constructor(readonly shape: S, readonly defaults: Codes, readonly options: SchemaOptions = {}) {}
  validate(input: Record<string, unknown>, context: ValidationContext = {}): Infer<S> {
    if (this.options.missingFirst) requirePresent(this.shape, input, this.defaults);
    return parseShape(this.shape, input, this.defaults, '', context);
  }
  jsonSchema(): JsonSchema {
    return shapeSchema(this.shape, this.defaults);
  }
  errorCodes(): ErrorName[] {
    return shapeCodes(this.shape, this.defaults);
  }
  /** A required body: some member is required (an empty body is refused with that member's "missing" code). */
  get hasRequired(): boolean {
    return Object.values(this.shape).some((field) => field.isRequired && !field.condition);
  }
}

export interface SchemaOptions {
  /**
   * Every required field's presence is checked (in declaration order) before any value is judged, for
   * references whose order of checks says "all missing parameters, then all invalid values" (rds.md).
   */
  missingFirst?: boolean;
}

function requirePresent(shape: Shape, input: Record<string, unknown>, defaults: Codes): void {
  for (const [name, field] of Object.entries(shape)) {
    if (!field.isRequired || field.condition || !field.isAbsent(input[name]) || field.aliases.some((a) => !field.isAbsent(input[a]))) continue;
    const code = field.codes.missing ?? defaults.missing ?? field.codes.invalid ?? defaults.invalid;
    if (code) throw fail(code, name);
  }
}

export function schema<S extends Shape>(shape: S, defaults: Codes, options?: SchemaOptions): ObjectSchema<S> {
  return new ObjectSchema(shape, defaults, options);
}

/** Runs one field on its own (a value outside any body), with the given codes; throws the field's code. */
export function parseField<T>(field: Field<T, any>, raw: unknown, param: string, defaults: Codes = {}): T | undefined {
  return field.parse(raw, { param, defaults });
}
