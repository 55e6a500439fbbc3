/** The release of this build: `croupier --version`, /healthz and the OpenAPI document. */
export const version = "0.1.0";
