// Stand-ins for operations that the portal uses before the API's OpenAPI document declares them.
// client.ts merges them UNDER the generated `paths`: as soon as `node scripts/generate-api-types.mjs`
// picks an operation up, the generated declaration is used (then delete the stand-in here).
//
// Empty: the claims, certifier, verification, forecast and recommendations operations are all in the
// generated document now. Add an entry here only for an endpoint that is being built.

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface PendingPaths {}
