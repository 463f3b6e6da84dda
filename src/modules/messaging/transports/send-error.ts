/** A send that did not happen. `permanent` ones are not retried (a refused address, a 4xx). */
export class SendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'SendError';
  }
}

/** What a transport answers: the provider's id for the message, and where a file went. */
export interface SendResult {
  ref: string | null;
  file?: string;
}
