// Shapes of the business-system API (OAuth 2.0 client credentials, Art. 17), kept by hand from the contract.

export const CLIENT_STATES = ['active', 'revoked'] as const;
export type ClientState = (typeof CLIENT_STATES)[number];

/** A registered business system; its secret is never part of it. */
export interface BusinessSystem {
  /** The id the transparency log names the system by. */
  id: string;
  /** What the system sends as client_id. */
  clientId: string;
  name: string;
  organizationId: string;
  scopes: string[];
  createdBy: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** The answer to a registration or a rotation: the only time the secret is sent. */
export interface ClientSecretAnswer {
  clientId: string;
  clientSecret: string;
  item: BusinessSystem;
}
