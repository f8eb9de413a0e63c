export * from './fhir/systems.js';
export * from './finalities.js';
export * from './schemas/fhir.js';
export * from './schemas/document.js';
export * from './encoding.js';
export * from './schemas/consent.js';
