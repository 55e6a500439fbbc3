import { Type, type Static } from "@sinclair/typebox";

/** Wire schemas of the accounts API, shared by the server (validation, OpenAPI) and the SDK. */
export const usernamePattern = "^[a-zA-Z0-9_.-]{3,32}$";
export const deviceIdPattern = "^[A-Za-z0-9_.:-]{1,64}$";
export const roles = ["player", "dealer", "operator"] as const;
export type Role = (typeof roles)[number];

const password = Type.String({ minLength: 1, maxLength: 256, description: "checked against the password policy" });
const deviceId = Type.String({ pattern: deviceIdPattern, description: "client-chosen device id, carried in the access token" });

export const RegisterRequest = Type.Object(
  {
    username: Type.String({ pattern: usernamePattern }),
    email: Type.Optional(Type.String({ format: "email", maxLength: 254 })),
    password,
  },
  { additionalProperties: false },
);
export type RegisterRequest = Static<typeof RegisterRequest>;

export const LoginRequest = Type.Object(
  {
    login: Type.String({ minLength: 1, maxLength: 254, description: "username or email" }),
    password,
    deviceId: Type.Optional(deviceId),
  },
  { additionalProperties: false },
);
export type LoginRequest = Static<typeof LoginRequest>;

export const RefreshRequest = Type.Object(
  {
    refreshToken: Type.String({ minLength: 1, maxLength: 512 }),
  },
  { additionalProperties: false },
);
export type RefreshRequest = Static<typeof RefreshRequest>;

export const User = Type.Object({
  id: Type.String({ format: "uuid" }),
  username: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  roles: Type.Array(Type.Union(roles.map((r) => Type.Literal(r)))),
  createdAt: Type.String({ format: "date-time" }),
});
export type User = Static<typeof User>;

export const TokenPair = Type.Object({
  accessToken: Type.String(),
  accessTokenExpiresAt: Type.String({ format: "date-time" }),
  refreshToken: Type.String(),
  refreshTokenExpiresAt: Type.String({ format: "date-time" }),
  sessionId: Type.String({ format: "uuid" }),
  tokenType: Type.Literal("Bearer"),
});
export type TokenPair = Static<typeof TokenPair>;

export const Me = Type.Composite([User, Type.Object({ sessionId: Type.String(), deviceId: Type.String() })]);
export type Me = Static<typeof Me>;

export const ErrorResponse = Type.Object({
  code: Type.String(),
  message: Type.String(),
  requestId: Type.String(),
  details: Type.Optional(Type.Array(Type.String())),
});
