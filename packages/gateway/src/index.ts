export { createGateway, type Gateway } from './gateway.js';
export type { AuditEntry, GatewayOptions, PortalUser } from './gateway-context.js';
export { MemorySessionStore, type PairedTokens, type PendingPairing, type SessionStore } from './session-store.js';
