export { createGateway, type AuditEntry, type Gateway, type GatewayOptions } from './gateway.js';
export {
  MemorySessionStore,
  type GatewaySession,
  type PairedTokens,
  type PendingPairing,
  type SessionStore,
} from './session-store.js';
export { isAllowed, describeInteraction, type Interaction } from './allow-list.js';
