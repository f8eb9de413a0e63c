export * from './fhir/systems.js';
export * from './finalities.js';
export * from './finality-descriptions.js';
export * from './measures/kinds.js';
export * from './schemas/fhir.js';
export * from './schemas/document.js';
export * from './schemas/responses.js';
export * from './schemas/consent.js';
export * from './encoding.js';
export { nestingScanner } from './json-depth.js';
export * from './errors.js';
export * from './documents/codes.js';
export { documentMediaType, hasSignatureOf } from './documents/formats.js';
export {
  buildProvideDocumentBundle,
  serializeProvideDocumentBundle,
  type ProvideBundleInput,
} from './documents/bundle.js';
export { uuidV5 } from './fhir/uuid.js';
export { errorFromResponse } from './fhir/response.js';
export { DEFAULT_RETRY, type RetryPolicy } from './fhir/retry-policy.js';
export { requestWithRetry, retryDelayMs, type FhirCall } from './fhir/retry.js';
export {
  DocumentRefSchema,
  checkDocument,
  sendDocumentOperation,
  type CheckedDocument,
  type DocumentRef,
  type DocumentToSend,
  type SendDocumentInput,
  type SendDocumentResult,
} from './operations/send-document.js';
export type { FindDocumentsPage, FindDocumentsQuery } from './operations/find-documents.js';
export {
  AGENDA_CONCURRENCY,
  chosenAppointments,
  type AgendaChange,
  type SyncAgendaInput,
  type SyncAgendaResult,
} from './operations/sync-agenda.js';
export {
  AgendaAppointmentSchema,
  appointmentResource,
  checkedAppointment,
  type AgendaAppointment,
  type CheckedAppointment,
  type HostAppointmentStatus,
} from './agenda/appointment.js';
export { agendaCalendar } from './agenda/ics.js';
export { countChanges, planAgenda, type AgendaAction, type PlannedChange } from './agenda/plan.js';
export type { RetrieveDocumentInput, RetrievedDocument } from './operations/retrieve-document.js';
export {
  MEASURES_CONCURRENCY,
  type CheckedMeasuresInput,
  type MeasureCounts,
  type ReadingOutcome,
  type ReadingResult,
  type SendMeasuresInput,
  type SendMeasuresResult,
} from './operations/send-measures.js';
export type { ReadMeasuresInput } from './operations/read-measures.js';
export {
  MAX_READINGS,
  checkSeries,
  type CheckedReading,
  type MeasureDevice,
  type MeasureReading,
  type MeasureSeries,
} from './measures/series.js';
export { measureBundle, observationResource } from './measures/observation.js';
export type { HeldMeasure } from './measures/held.js';
export {
  SUMMARY_POINTS,
  summarizeMeasures,
  type MeasureKindSummary,
  type MeasuresSummary,
} from './measures/summary.js';
export type { MeasuresQuery } from './measures/preview.js';
export { MES_CATEGORIES, mesCategoryOf, typesOfCategory, type MesCategory } from './documents/categories.js';
export { foundDocumentOf, type DocumentAuthor, type FoundDocument } from './documents/found.js';
export { foldForSearch, searchWords, titleMatches } from './documents/title-search.js';
export {
  forwardProgress,
  type Operation,
  type OperationContext,
  type OperationProgress,
  type PairedSession,
} from './operations/operation.js';
export {
  RUNNABLE_OPERATIONS,
  finalitiesFor,
  isRunnableOperation,
  loadOperation,
  runParsed,
  type InputOf,
  type Operations,
  type ResultOf,
  type RunnableOperation,
} from './operations/registry.js';
export {
  OPERATION_CONTENT_TYPE,
  OPERATION_INPUT_HEADER,
  encodeMessage,
  type OperationMessage,
} from './operations/wire.js';
export * from './client.js';
export * from './pairing-state.js';
export * from './transports/transport.js';
export { SessionSchema } from './transports/read-session.js';
export {
  gatewayTransport,
  gatewayRedirectPairingUrl,
  GATEWAY_HEADER,
  type GatewayTransportOptions,
} from './transports/gateway.js';
export { httpRequest, type HttpOptions } from './transports/http.js';
export { completeDirectPairing, directTransport, type DirectTransportOptions } from './transports/direct.js';
export { inProcessTransport, type InProcessMes, type InProcessTransportOptions } from './transports/in-process.js';
export { PAIRING_MESSAGE, type PairingMessage } from './transports/popup.js';
