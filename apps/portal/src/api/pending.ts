// Stand-ins for operations that the portal uses before the API's OpenAPI document declares them.
// client.ts merges them UNDER the generated `paths`: as soon as `node scripts/generate-api-types.mjs`
// picks an operation up, the generated declaration is used (then delete the stand-in here).
//
// The e-mail verification and password-reset operations (issue 15) are here until the types are
// regenerated (issue 17); their responses are in ./responses.ts.

interface Op<Body> {
  parameters: { path: never; query?: never };
  requestBody: [Body] extends [never] ? undefined : { content: { 'application/json': Body } };
  responses: Record<number, unknown>;
}

export interface PendingPaths {
  '/api/v1/auth/verify-email': { post: Op<{ token: string }> };
  '/api/v1/auth/verify-email/resend': { post: Op<never> };
  '/api/v1/auth/password-reset': { post: Op<{ email: string }> };
  '/api/v1/auth/password-reset/confirm': { post: Op<{ token: string; password: string }> };
}
