/**
 * The envelope codec: envelope ⇄ UTF-8 JSON text. Decoding checks the size before
 * parsing and validates everything after, so whatever bytes arrive, the only errors
 * that come out are ENVELOPE_INVALID and PAYLOAD_TOO_LARGE. Runs on the producer and
 * on the worker's main thread; docs/envelope.md is the language-neutral specification.
 */
import { EnvelopeInvalidError, PayloadTooLargeError } from '../errors/errors';
import type { Envelope } from './envelope';
import { type EnvelopeLimits, resolveEnvelopeLimits } from './envelope-limits';
import { validateEnvelope } from './validate-envelope';

export { DEFAULT_ENVELOPE_LIMITS, type EnvelopeLimits } from './envelope-limits';
export { validateEnvelope } from './validate-envelope';

// `fatal` turns invalid UTF-8 into an error instead of U+FFFD; `ignoreBOM` keeps a byte
// order mark in the text so that JSON.parse refuses it, as it does for string input.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Validates `envelope` and returns its JSON text, fields in specification order.
 * Throws EnvelopeInvalidError naming the bad field, or PayloadTooLargeError when the
 * text is over `limits.maxBytes` UTF-8 bytes.
 * @param limits @default DEFAULT_ENVELOPE_LIMITS (1 MiB, depth 32)
 */
export function encodeEnvelope(envelope: Envelope, limits?: Partial<EnvelopeLimits>): string {
  const resolved = resolveEnvelopeLimits(limits);
  const checked = validateEnvelope(envelope, resolved);
  let text: string;
  try {
    text = JSON.stringify(checked);
  } catch (error) {
    // Only a stack overflow can get here (the copy is plain JSON), with a huge maxDepth.
    if (error instanceof RangeError) {
      throw new EnvelopeInvalidError('$', 'nests too deeply to serialize');
    }
    throw error;
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > resolved.maxBytes) throw new PayloadTooLargeError(bytes, resolved.maxBytes);
  return text;
}

/**
 * Parses and validates one envelope from JSON text or UTF-8 bytes. Throws
 * PayloadTooLargeError (checked before parsing) or EnvelopeInvalidError (field `$`
 * for text that is not UTF-8 JSON); never anything else, whatever the input.
 * @param limits @default DEFAULT_ENVELOPE_LIMITS (1 MiB, depth 32)
 */
export function decodeEnvelope(
  input: string | Uint8Array,
  limits?: Partial<EnvelopeLimits>,
): Envelope {
  const resolved = resolveEnvelopeLimits(limits);
  const text = toText(input, resolved.maxBytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new EnvelopeInvalidError('$', parseProblem(error));
  }
  return validateEnvelope(parsed, resolved);
}

function toText(input: unknown, maxBytes: number): string {
  if (typeof input === 'string') {
    // A UTF-16 code unit takes at most 3 UTF-8 bytes: short texts need no count.
    if (input.length * 3 <= maxBytes) return input;
    const bytes = Buffer.byteLength(input, 'utf8');
    if (bytes > maxBytes) throw new PayloadTooLargeError(bytes, maxBytes);
    return input;
  }
  if (!(input instanceof Uint8Array)) {
    throw new EnvelopeInvalidError('$', 'must be a string or a Uint8Array');
  }
  if (input.byteLength > maxBytes) throw new PayloadTooLargeError(input.byteLength, maxBytes);
  try {
    return UTF8.decode(input);
  } catch {
    throw new EnvelopeInvalidError('$', 'is not valid UTF-8');
  }
}

// The parser's own message quotes the input, which may hold secrets: keep the position only.
function parseProblem(error: unknown): string {
  if (error instanceof RangeError) return 'nests too deeply to parse';
  const message = error instanceof Error ? error.message : '';
  const position = /position (\d+)/.exec(message)?.[1];
  return position === undefined
    ? 'is not valid JSON'
    : `is not valid JSON (error at position ${position})`;
}
