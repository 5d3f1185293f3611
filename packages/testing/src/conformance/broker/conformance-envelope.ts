/** Envelopes for broker conformance cases: valid, small, and unique per call. */
import { type CreateEnvelopeInput, createEnvelope, type Envelope } from '@stem/core';

/**
 * A valid envelope on `queue` for task `conformance.probe`; `input` overrides any field.
 * @param input fields to set; @default args `null`
 */
export function conformanceEnvelope(
  queue: string,
  input: Partial<CreateEnvelopeInput> = {},
): Envelope {
  return createEnvelope({ task: 'conformance.probe', args: null, queue, ...input });
}
