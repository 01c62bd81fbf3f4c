import { createApiClient } from "../../services/api/client/index.js";

export { ApiError } from "../../services/api/client/index.js";

/**
 * The API that served this page, through the one typed client (services/api/client): each call passes its
 * bearer (a member's API key or a collector's session token) as `apiKey`.
 */
export const api = createApiClient({ baseUrl: "" });

/** A fresh Idempotency-Key: a retried request with the same key is applied once. */
export const idempotencyKey = () => crypto.randomUUID();
