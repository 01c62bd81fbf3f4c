/** Where a flow reports what it survives: pino's shape (context first), so the app's logger fits as it is. */
export interface Log {
  warn(context: object, message: string): void;
}
