/**
 * A `multipart/form-data` reader (RFC 7578 / RFC 2046 §5.1) over a body that is already in memory: the
 * build endpoints receive at most 2 MiB, so streaming brings nothing. Anything that is not a complete
 * multipart body — no boundary parameter, no opening delimiter, a part whose headers or content never end
 * (truncated), a header line without a colon, no closing delimiter — answers 4000403 Invalid request body.
 * Line breaks are CRLF per the RFC; bare LF is accepted too (liberal in).
 */
import { ApiError } from '../../catalog/index.ts';

export interface FormPart {
  name: string;
  filename: string | undefined;
  contentType: string | undefined;
  data: Buffer;
}

const LF = 0x0a;
const CR = 0x0d;

function malformed(): ApiError {
  return new ApiError('INVALID_REQUEST_BODY');
}

/** The `boundary` parameter of a multipart Content-Type (quoted or not), or undefined. */
export function boundaryOf(contentType: string): string | undefined {
  const m = /;\s*boundary\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(contentType);
  const value = m?.[1] ?? m?.[2];
  return value && value.length <= 200 ? value : undefined;
}

/** Parses the body into its named parts, in order (parts without a `name` are skipped). */
export function parseMultipart(body: Buffer, contentType: string): FormPart[] {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw malformed();
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const lineDelimiter = Buffer.concat([Buffer.from([LF]), delimiter]);

  // The first delimiter starts the body or a line (anything before it is preamble).
  let at = body.indexOf(delimiter);
  while (at > 0 && body[at - 1] !== LF) at = body.indexOf(delimiter, at + 1);
  if (at < 0) throw malformed();
  let pos = at + delimiter.length;

  const parts: FormPart[] = [];
  for (;;) {
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts; // "--": closing delimiter; epilogue ignored
    pos = skipLineEnd(body, skipPadding(body, pos));
    const headers = new Map<string, string>();
    for (;;) {
      const eol = body.indexOf(LF, pos);
      if (eol < 0) throw malformed(); // headers never end: truncated
      const line = body.subarray(pos, body[eol - 1] === CR && eol - 1 >= pos ? eol - 1 : eol).toString('utf8');
      pos = eol + 1;
      if (line === '') break;
      const colon = line.indexOf(':');
      if (colon <= 0) throw malformed();
      const key = line.slice(0, colon).trim().toLowerCase();
      if (!headers.has(key)) headers.set(key, line.slice(colon + 1).trim());
    }
    // The line break before the next delimiter belongs to the delimiter. Searching from the header block's
    // own last LF also accepts an empty part whose sender left that line break out.
    const next = body.indexOf(lineDelimiter, pos - 1);
    if (next < 0) throw malformed(); // content never ends: truncated
    const end = next > pos && body[next - 1] === CR ? next - 1 : Math.max(next, pos);
    const disposition = parseDisposition(headers.get('content-disposition'));
    if (disposition.name !== undefined) {
      parts.push({ name: disposition.name, filename: disposition.filename, contentType: headers.get('content-type'), data: body.subarray(pos, end) });
    }
    pos = next + lineDelimiter.length;
  }
}

function skipPadding(body: Buffer, pos: number): number {
  while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
  return pos;
}

/** After a delimiter: CRLF or LF, or the body is malformed (truncated, or the boundary was a prefix). */
function skipLineEnd(body: Buffer, pos: number): number {
  if (body[pos] === CR && body[pos + 1] === LF) return pos + 2;
  if (body[pos] === LF) return pos + 1;
  throw malformed();
}

function parseDisposition(value: string | undefined): { name?: string; filename?: string } {
  if (!value || !/^form-data\s*(;|$)/i.test(value)) return {};
  const param = (key: string) => {
    const m = new RegExp(`;\\s*${key}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i').exec(value);
    if (!m) return undefined;
    return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2];
  };
  return { name: param('name'), filename: param('filename') };
}
