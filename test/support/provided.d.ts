import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the real webhook receiver started by test/support/webhook-receiver.ts. */
    receiverUrl: string;
  }
}
