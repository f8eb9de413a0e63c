import { FR_CORE_APPOINTMENT, MEASURES, MEASURE_KINDS, PHD_DEVICE_PROFILE, profileUrls } from '@mes-kit/core';

/** What the sandbox's FHIR API supports, and nothing more (served at `/fhir/metadata`). */
export function capabilityStatement(fhirBase: string, idTokenHeader: string) {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-11-26',
    publisher: 'mes-kit',
    kind: 'instance',
    software: { name: 'mes-kit sandbox (local Mon espace santé emulation)' },
    implementation: { description: 'Local emulation of Mon espace santé for referenced services', url: fhirBase },
    fhirVersion: '4.0.1',
    format: ['json'],
    patchFormat: ['application/json-patch+json'],
    // Document Responder is only partly implemented (ITI-67 and ITI-68, not ITI-66), so not claimed.
    instantiates: ['https://profiles.ihe.net/ITI/MHD/CapabilityStatement/IHE.MHD.DocumentRecipient'],
    rest: [
      {
        mode: 'server',
        documentation:
          `Every call but this one needs "Authorization: Bearer <access token>" and the ID token in "${idTokenHeader}". ` +
          'Refusals use the texts of Mon espace santé (400 ID token, 401, 403 idPe, 403 consent, 409 OID).',
        security: {
          service: [
            { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'OAuth' }] },
          ],
        },
        interaction: [
          {
            code: 'transaction',
            documentation:
              "ITI-65 Provide Document Bundle, or one measure (MES « bundle d'alimentation »: an Observation and its PhdDevice)",
          },
        ],
        resource: [
          {
            type: 'DocumentReference',
            interaction: [
              { code: 'create', documentation: 'ITI-105 Simplified Publish (If-None-Exist honoured)' },
              { code: 'read' },
              { code: 'search-type', documentation: 'ITI-67 Find Document References' },
              { code: 'patch', documentation: 'conditional, on status, securityLabel and isArchived only' },
            ],
            conditionalCreate: true,
            conditionalUpdate: false,
            conditionalDelete: 'not-supported',
            searchParam: [
              { name: 'patient', type: 'reference' },
              { name: 'patient.identifier', type: 'token' },
              { name: 'status', type: 'token' },
              { name: 'identifier', type: 'token' },
              { name: 'type', type: 'token' },
              { name: 'category', type: 'token' },
              { name: 'date', type: 'date' },
              { name: 'period', type: 'date' },
              { name: '_sort', type: 'special', documentation: 'date or -date (default)' },
              { name: '_count', type: 'number', documentation: '20 by default, at most 100' },
              { name: '_offset', type: 'number' },
            ],
          },
          { type: 'List', interaction: [], documentation: 'SubmissionSets, created through ITI-65 only' },
          { type: 'Binary', interaction: [{ code: 'read', documentation: 'ITI-68 Retrieve Document' }] },
          {
            type: 'Observation',
            supportedProfile: [...new Set(MEASURE_KINDS.flatMap((kind) => profileUrls(MEASURES[kind].profile)))],
            documentation:
              'MES API Mesures de santé v1.5.2: created one at a time through a transaction (never deduplicated), ' +
              'MESURE_<TYPE>_ECRITURE to write; MESURE_<TYPE>_LECTURE to read every measure of the patient, or ' +
              'MESURE_<TYPE>_ECRITURE alone to read those the service filed. A BMI is refused: MES computes it.',
            interaction: [{ code: 'read' }, { code: 'search-type' }],
            searchParam: [
              { name: 'subject.identifier', type: 'token', documentation: 'required: <AssignAuth>|<idPe>' },
              { name: 'code', type: 'token', documentation: 'required: one or more codes, separated by commas' },
              { name: 'date', type: 'date', documentation: 'both bounds (ge, le): a period, paged' },
              { name: '_sort', type: 'special', documentation: '-date with _count=1: the last measure' },
              { name: '_count', type: 'number', documentation: 'a period: 50 by default, at most 100' },
              { name: '_offset', type: 'number', documentation: 'a period: the page index, from 0' },
            ],
            searchInclude: ['Observation:device'],
          },
          {
            type: 'Device',
            profile: PHD_DEVICE_PROFILE,
            documentation:
              "Created with a measure, unless MES knows it already by its identifier (the entry's ifNoneExist); " +
              'returned by _include=Observation:device.',
            interaction: [],
            conditionalCreate: true,
          },
          {
            type: 'Appointment',
            profile: FR_CORE_APPOINTMENT,
            documentation:
              'AGENDA_ECRITURE to write; AGENDA_LECTURE to read every appointment of the patient, or AGENDA_ECRITURE ' +
              'alone to read those the service wrote. The author is recorded from the token (fr-core-appointment-operator).',
            interaction: [
              { code: 'read' },
              { code: 'search-type' },
              {
                code: 'create',
                documentation: 'If-None-Exist honoured; a business identifier already used is refused (409)',
              },
              { code: 'update', documentation: 'by id, or conditional on identifier (GAP flux 6b); cancel = status' },
            ],
            versioning: 'versioned',
            updateCreate: false,
            conditionalCreate: true,
            conditionalUpdate: true,
            conditionalDelete: 'not-supported',
            searchParam: [
              { name: 'patient.identifier', type: 'token', documentation: 'required' },
              { name: 'identifier', type: 'token' },
              { name: 'date', type: 'date', documentation: 'on start' },
              { name: 'status', type: 'token' },
              { name: '_sort', type: 'special', documentation: 'date (default) or -date' },
              { name: '_count', type: 'number', documentation: '100 by default, at most 1000' },
              { name: '_offset', type: 'number' },
            ],
          },
        ],
      },
    ],
  };
}
