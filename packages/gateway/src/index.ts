export { createGateway, type Gateway } from './gateway.js';
export type { AuditEntry, GatewayOptions, MesPatient, PortalUser } from './gateway-context.js';
export { MemorySessionStore, type PairedTokens, type PendingPairing, type SessionStore } from './session-store.js';
