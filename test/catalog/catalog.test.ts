// The error catalog against its founding document, docs/reference/error-catalog.seed.md.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  ApiError,
  byCode,
  codes,
  entries,
  entry,
  isApiError,
  reasonPhrase,
} from '../../src/catalog/index.ts';
import type { ErrorName } from '../../src/catalog/index.ts';
import { renderErrorDocs } from '../../src/catalog/docs.ts';

const REPO_ROOT = new URL('../../', import.meta.url);
const SEED_PATH = fileURLToPath(new URL('docs/reference/error-catalog.seed.md', REPO_ROOT));
const DOCS_PATH = fileURLToPath(new URL('docs/errors.md', REPO_ROOT));

/** Code → message as written in the seed (trailing spaces are layout, not message). */
function parseSeed(): { messages: Map<number, string>; duplicates: number[] } {
  const text = readFileSync(SEED_PATH, 'utf8');
  const messages = new Map<number, string>();
  const duplicates: number[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s+(\d{7})\s+(\S.*?)\s*$/.exec(line);
    if (m === null) continue;
    const code = Number(m[1]);
    if (messages.has(code)) duplicates.push(code);
    messages.set(code, m[2]);
  }
  return { messages, duplicates };
}

const seed = parseSeed();
const ALLOWED_STATUSES = new Set([400, 401, 403, 404, 405, 408, 409, 415, 422, 433, 500]);
const CURLY = '\u2019';
const CURLY_CODES = [4000149, 4030142, 4030144, 4030151, 4030152, 4030153, 4030258];

/** Shows a message with non-ASCII characters spelled out, so byte differences are visible. */
function show(s: string | undefined): string {
  if (s === undefined) return '(absent)';
  return JSON.stringify(s).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`);
}

test('the seed holds exactly 203 distinct codes', () => {
  assert.deepEqual(seed.duplicates, [], 'codes listed twice in the seed');
  assert.equal(seed.messages.size, 203);
});

test('the table holds exactly 203 entries, one per code', () => {
  assert.equal(entries.length, 203);
  assert.equal(Object.keys(codes).length, 203);
  const seen = new Map<number, string>();
  const dups: string[] = [];
  for (const e of entries) {
    const prev = seen.get(e.code);
    if (prev !== undefined) dups.push(`${e.code}: ${prev} and ${e.name}`);
    seen.set(e.code, e.name);
  }
  assert.deepEqual(dups, [], 'codes used by more than one name');
});

test('the codes of the seed and of the table are the same set', () => {
  const tableCodes = new Set(entries.map((e) => e.code));
  const byNumber = (a: number, b: number) => a - b;
  const missingFromTable = [...seed.messages.keys()].filter((c) => !tableCodes.has(c)).sort(byNumber);
  const notInSeed = [...tableCodes].filter((c) => !seed.messages.has(c)).sort(byNumber);
  assert.deepEqual(
    { missingFromTable, notInSeed },
    { missingFromTable: [], notInSeed: [] },
    'missingFromTable: in the seed but not in the table; notInSeed: in the table but not in the seed',
  );
});

test('every message is byte-exact with the seed', () => {
  const diffs: string[] = [];
  for (const e of entries) {
    const expected = seed.messages.get(e.code);
    if (expected === undefined) continue; // reported by the set test
    if (!Buffer.from(e.message, 'utf8').equals(Buffer.from(expected, 'utf8'))) {
      diffs.push(`${e.code} ${e.name}: table ${show(e.message)} != seed ${show(expected)}`);
    }
  }
  assert.deepEqual(diffs, [], `messages differing from the seed:\n${diffs.join('\n')}`);
});

test('names are unique, UPPER_SNAKE, and match their entries', () => {
  const names = entries.map((e) => e.name);
  assert.equal(new Set(names).size, names.length);
  for (const name of names) {
    assert.match(name, /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/, `bad name ${name}`);
    assert.equal(entry(name).code, codes[name].code);
    assert.equal(entry(name).message, codes[name].message);
  }
});

test('the names other modules rely on map to their codes', () => {
  const pinned: Record<string, number> = {
    INVALID_PARAMETERS: 4000001,
    MISSING_PARAMETERS: 4000002,
    INVALID_REQUEST_BODY: 4000403,
    UNAUTHORIZED_USER: 4010001,
    API_FREQ_OUT_OF_LIMIT: 4030001,
    USER_STATUS_ABNORMAL: 4030009,
    SECRET_KEY_COUNT_LIMIT: 4030013,
    IMAGE_QUOTA_INSUFFICIENT: 4030007,
    TAG_QUOTA_INSUFFICIENT: 4030008,
    IMAGE_STATUS_ABNORMAL: 4030012,
    NO_SUCH_USER: 4040001,
    NO_SUCH_REPOSITORY: 4040004,
    NO_SUCH_SECRET_KEY: 4040005,
    NO_SUCH_API: 4040006,
    HTTP_METHOD_NOT_ALLOWED: 4050001,
    REQUEST_TIMEOUT: 4080001,
    DUPLICATE_SECRET_KEY_NAME: 4090004,
    DUPLICATE_REPOSITORY_NAME: 4090005,
    UNSUPPORTED_MEDIA_TYPE: 4150001,
    UNPROCESSABLE_ENTITY: 4220001,
    NOT_CERTIFICATION: 4330801,
    CREATE_SECRET_KEY_ERROR: 5000005,
    DELETE_SECRET_KEY_ERROR: 5000006,
    NCE_INTERNAL_SERVER_ERROR: 5000007,
    MICROSERVICE_FAIL: 4000111,
    MICROSERVICE_MISSING_PARAM: 4000112,
    MICROSERVICE_PARAM_INVALID: 4000113,
    MICROSERVICE_NAME_FORMAT_INVALID: 4000115,
    MICROSERVICE_SYSTEM_BUSY: 4000199,
    NO_SUCH_NAMESPACE: 4040114,
    NO_SUCH_SPEC: 4040118,
    NO_SUCH_IMAGE: 4040129,
    NO_SUCH_MICROSERVICE: 4040141,
    DUPLICATE_MICROSERVICE_NAME: 4090116,
    DUPLICATE_MICROSERVICE_CONTAINER_NAME: 4090122,
    VOLUME_INVALID_PARAMETERS: 4000201,
    VOLUME_MISSING_PARAMETERS: 4000202,
    VOLUME_PARAM_INVALID: 4000213,
    VOLUME_SYSTEM_BUSY: 4000299,
    VOLUME_BALANCE_INSUFFICIENT: 4030201,
    VOLUME_STATUS_ABNORMAL: 4030202,
    VOLUME_CANT_OPERATE_IN_CURRENT_STATE: 4030258,
    NO_SUCH_CLOUD_VOLUME: 4040201,
    DUPLICATE_CLOUD_VOLUME_NAME: 4090201,
    IP_PARAMS_INVALID: 4000301,
    IP_MISSING_PARAM: 4000302,
    IP_BALANCE_INSUFFICIENT: 4030301,
    IP_QUOTA_INSUFFICIENT: 4030302,
    IP_NO_SUCH_USER: 4040301,
    NO_SUCH_IP: 4040302,
    IP_SERVER_ERROR: 5000300,
    CREATE_IP_FAIL: 5000301,
    DELETE_IP_FAIL: 5000302,
    IP_NOT_ENOUGH: 5000303,
    LB_NO_SUCH_IP: 4040412,
    LB_IP_IS_USING: 4030411,
    SERVICE05_FAIL: 4000511,
    SERVICE05_CREATE_FAILED: 5000500,
    CONTAINER_QUOTA_INSUFFICIENT: 4030002,
    NO_SUCH_CONTAINER: 4040002,
    DUPLICATE_CONTAINER_NAME: 4090001,
  };
  const wrong: string[] = [];
  for (const [name, code] of Object.entries(pinned)) {
    const actual = (codes as Record<string, { code: number }>)[name]?.code;
    if (actual !== code) wrong.push(`${name}: expected ${code}, got ${actual ?? '(absent)'}`);
  }
  assert.deepEqual(wrong, []);
  assert.equal('RDS_NOT_CERTIFICATION' in codes, false, '4330801 is NOT_CERTIFICATION');
});

test('families use their own name prefixes', () => {
  for (const e of entries) {
    if (e.family === '01') assert.match(e.name, /MICROSERVICE|NAMESPACE|SPEC|IMAGE/, e.name);
    if (e.family === '02') assert.match(e.name, /VOLUME/, e.name);
    if (e.family === '06') assert.match(e.name, /^MONITOR_/, e.name);
    if (e.family === '08' && e.code !== 4330801) assert.match(e.name, /^RDS_/, e.name);
  }
});

test('derived fields: status, family, order', () => {
  const badStatus = entries.filter((e) => !ALLOWED_STATUSES.has(e.status)).map((e) => e.code);
  assert.deepEqual(badStatus, [], 'codes with a status outside the catalog set');
  for (const e of entries) {
    assert.equal(e.status, Math.floor(e.code / 10000));
    assert.equal(e.family, String(e.code).slice(3, 5));
    assert.match(String(e.code), /^\d{7}$/);
  }
  assert.equal(entries.some((e) => e.family === '07'), false, 'family 07 is absent');
  // Grouped by family, then numeric.
  const sorted = [...entries].sort((a, b) => a.family.localeCompare(b.family) || a.code - b.code);
  assert.deepEqual(
    entries.map((e) => e.code),
    sorted.map((e) => e.code),
  );
  const perFamily = Object.fromEntries(
    ['00', '01', '02', '03', '04', '05', '06', '08'].map((f) => [f, entries.filter((e) => e.family === f).length]),
  );
  assert.deepEqual(perFamily, { '00': 38, '01': 45, '02': 9, '03': 10, '04': 55, '05': 2, '06': 10, '08': 34 });
});

test('exactly seven messages use U+2019 and none uses an ASCII apostrophe', () => {
  const curly = entries.filter((e) => e.message.includes(CURLY)).map((e) => e.code).sort((a, b) => a - b);
  assert.deepEqual(curly, [...CURLY_CODES].sort((a, b) => a - b));
  const ascii = entries.filter((e) => e.message.includes("'")).map((e) => e.code);
  assert.deepEqual(ascii, []);
  for (const code of CURLY_CODES) {
    assert.ok(Buffer.from(byCode(code)!.message, 'utf8').includes(Buffer.from([0xe2, 0x80, 0x99])));
  }
});

test('trailing period: families 00, 01, 02, 05 always; 03, 04, 06, 08 never', () => {
  const withPeriod = new Set(['00', '01', '02', '05']);
  const wrong = entries
    .filter((e) => e.message.endsWith('.') !== withPeriod.has(e.family))
    .map((e) => `${e.code} ${show(e.message)}`);
  assert.deepEqual(wrong, []);
  assert.equal(entries.filter((e) => withPeriod.has(e.family)).length, 94);
  for (const e of entries) assert.equal(e.message, e.message.trim(), `${e.code} has surrounding whitespace`);
});

test('the oddities survive', () => {
  const expect: [ErrorName, string][] = [
    ['MICROSERVICE_CMD_LENGTH_OUT_OF_RANGE', 'Param cmd lengh out of range.'],
    ['MICROSERVICE_VOLUME_INFO_INVALID', 'Param volue info invalid.'],
    ['LB_CLUSTER_QUOTA_INSUFFICIENT', 'Cluster quota inisufficient'],
    ['RDS_INVALID_SIGNATURE', 'invalid siginature'],
    ['LB_NAMESPACE_NOT_FOUND', 'Namspace not found'],
    ['MICROSERVICE_FAVORITE_REPOSITORY_PRIVATE', 'Favoriate repository changed to be private.'],
    ['NCE_INTERNAL_SERVER_ERROR', 'Nce internal server error.'],
    ['NOT_CERTIFICATION', 'not certification'],
    ['IP_SERVER_ERROR', 'Server Error'],
    ['LB_SERVER_ERROR', 'Server error'],
  ];
  for (const [name, message] of expect) assert.equal(entry(name).message, message, name);
});

test('entry, byCode and reasonPhrase', () => {
  assert.deepEqual(entry('NO_SUCH_SECRET_KEY'), {
    name: 'NO_SUCH_SECRET_KEY',
    code: 4040005,
    status: 404,
    family: '00',
    message: 'No such secret key.',
  });
  assert.equal(byCode(4330801)?.name, 'NOT_CERTIFICATION');
  assert.equal(byCode(4330801)?.status, 433);
  assert.equal(byCode(4040412)?.name, 'LB_NO_SUCH_IP');
  assert.equal(byCode(4070001), undefined);
  assert.equal(byCode(1234567), undefined);
  assert.equal(reasonPhrase(433), 'Not Certification');
  const phrases: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    408: 'Request Timeout',
    409: 'Conflict',
    415: 'Unsupported Media Type',
    422: 'Unprocessable Entity',
    500: 'Internal Server Error',
  };
  for (const [status, phrase] of Object.entries(phrases)) assert.equal(reasonPhrase(Number(status)), phrase);
});

test('ApiError carries the catalog entry and serialises to exactly {code, message}', () => {
  const err = new ApiError('NO_SUCH_SECRET_KEY', { param: 'id' });
  assert.ok(err instanceof Error);
  assert.ok(isApiError(err));
  assert.equal(isApiError(new Error('x')), false);
  assert.equal(isApiError({ code: 4040005, message: 'No such secret key.' }), false);
  assert.equal(err.errorName, 'NO_SUCH_SECRET_KEY');
  assert.equal(err.code, 4040005);
  assert.equal(err.status, 404);
  assert.equal(err.message, 'No such secret key.');
  assert.equal(err.param, 'id');
  assert.equal(JSON.stringify(err.toBody()), '{"code":4040005,"message":"No such secret key."}');
  assert.deepEqual(Object.keys(err.toBody()), ['code', 'message']);

  const cause = new Error('disk on fire');
  const internal = new ApiError('NCE_INTERNAL_SERVER_ERROR', { cause });
  assert.equal(internal.cause, cause);
  assert.equal(internal.param, undefined);
  assert.equal(JSON.stringify(internal.toBody()), '{"code":5000007,"message":"Nce internal server error."}');
  assert.equal(JSON.stringify(internal.toBody()).includes('disk on fire'), false);

  const curly = new ApiError('VOLUME_CANT_OPERATE_IN_CURRENT_STATE');
  assert.equal(JSON.stringify(curly.toBody()), '{"code":4030258,"message":"Volume can\u2019t operate in current state."}');
  assert.equal(new ApiError('NOT_CERTIFICATION').status, 433);

  for (const e of entries) {
    const body = new ApiError(e.name).toBody();
    assert.equal(JSON.stringify(body), `{"code":${e.code},"message":${JSON.stringify(e.message)}}`);
  }
});

test('docs/errors.md is up to date', () => {
  let onDisk: string;
  try {
    onDisk = readFileSync(DOCS_PATH, 'utf8');
  } catch {
    assert.fail('docs/errors.md is missing: run `npm run gen:docs`');
  }
  assert.ok(onDisk === renderErrorDocs(), 'docs/errors.md is stale: run `npm run gen:docs`');
});

test('docs/errors.md has one anchored row per code', () => {
  const docs = renderErrorDocs();
  for (const e of entries) {
    const anchor = `<a id="${e.code}"></a>`;
    assert.equal(docs.split(anchor).length - 1, 1, `anchor for ${e.code}`);
    assert.ok(docs.includes(`| ${anchor}${e.code} | ${e.status} | \`${e.name}\` | \`${e.message}\` |`), `row for ${e.code}`);
  }
});
