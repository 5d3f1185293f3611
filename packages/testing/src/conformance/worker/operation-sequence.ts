/**
 * One counter shared by the recording wrappers of a worker conformance case, so a case
 * can tell the order of writes across the broker and the result backend (a SUCCESS
 * written before the ack) without comparing clock readings that may tie.
 */
export class OperationSequence {
  #last = 0;

  /** The next number: strictly greater than every one handed out before. */
  next(): number {
    this.#last += 1;
    return this.#last;
  }
}
