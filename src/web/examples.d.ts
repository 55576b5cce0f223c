/** Example requests and accounts embedded at build time by scripts/build-web.mjs. */
declare module 'iamsim:examples' {
  export const simulateExamples: readonly { readonly name: string; readonly request: Record<string, unknown> }[];
  export const accountExamples: readonly { readonly workflow: string; readonly name: string; readonly text: string }[];
}
