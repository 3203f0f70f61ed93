/** An error inside a chat turn: shown as text plus an event with errorCode/errorMessage; the draft stays as it was. */
export class TurnError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** The same message for Chinese sessions. */
    readonly zh?: string,
  ) {
    super(message);
    this.name = 'TurnError';
  }
}
