/**
 * The ITI-65 Provide Document Bundle a referenced service sends, per ANS PDSm: a SubmissionSet, one
 * comprehensive DocumentReference authored by the service (a contained Device) or, for a file of
 * their own, by the patient (the contained Patient), and its Binary.
 * @see https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition-pdsm-comprehensive-provide-document-bundle.html
 */
import {
  CLASS_CODE_SYSTEM,
  CONFIDENTIALITY_SYSTEM,
  FORMAT_CODE_SYSTEM,
  IDPE_SYSTEM,
  MHD_LIST_TYPES,
  PDSM_PROFILE,
  PRODUCER_SYSTEM,
  RFC3986_SYSTEM,
  VISIBILITY_SYSTEM,
} from '../fhir/systems.js';
import type { TransactionBundle } from '../schemas/document.js';
import {
  CLASS_DISPLAYS,
  DOCUMENT_TYPES,
  type ClassCode,
  type Confidentiality,
  type DocumentTypeCode,
} from './codes.js';

export interface ProvideBundleInput {
  /** Base64 of the document's bytes. */
  data: string;
  size: number;
  /** Base64 SHA-1 of the bytes. */
  hash: string;
  contentType: string;
  title: string;
  type: DocumentTypeCode;
  /** TRE_A03 class; by default the one the type files under. */
  category?: ClassCode;
  /** When the document was written (ISO 8601). */
  date: string;
  confidentiality: Confidentiality;
  description?: string;
  /** The service files its documents; a patient's own file is authored by the patient. */
  author: 'service' | 'patient';
  /** `urn:uuid:…`, stable for the same document: MES files it once, however often it is sent. */
  masterIdentifier: string;
  idPe: string;
  service: { oid: string; name: string };
  /** When the bundle is built (ISO 8601). */
  now: string;
}

const SNR = { system: PRODUCER_SYSTEM, code: 'SNR', display: 'Service numérique référencé' };

function securityLabel(confidentiality: Confidentiality) {
  return confidentiality === 'N'
    ? { coding: [{ system: CONFIDENTIALITY_SYSTEM, code: 'N', display: 'normal' }] }
    : { coding: [{ system: VISIBILITY_SYSTEM, code: confidentiality }] };
}

/**
 * The bundle as MES receives it, in UTF-8. The base64 is written straight into the bytes rather
 * than serialized: JSON.stringify would scan megabytes of it for characters to escape (base64 has
 * none), and encoding one long string built from pieces copies it once more. It is the last field
 * of the last entry (the Binary), so nothing the host wrote follows the splice point.
 */
export function serializeProvideDocumentBundle(input: ProvideBundleInput): Uint8Array<ArrayBuffer> {
  const json = JSON.stringify(buildProvideDocumentBundle({ ...input, data: '' }));
  const at = json.lastIndexOf('"data":""') + '"data":"'.length;
  const encoder = new TextEncoder();
  const head = encoder.encode(json.slice(0, at));
  const tail = encoder.encode(json.slice(at));
  const body = new Uint8Array(head.length + input.data.length + tail.length);
  body.set(head);
  encoder.encodeInto(input.data, body.subarray(head.length));
  body.set(tail, head.length + input.data.length);
  return body;
}

export function buildProvideDocumentBundle(input: ProvideBundleInput): TransactionBundle {
  const [submissionSetUrl, documentUrl, binaryUrl] = [1, 2, 3].map(() => `urn:uuid:${crypto.randomUUID()}`) as [
    string,
    string,
    string,
  ];
  const type = DOCUMENT_TYPES[input.type];
  const classCode = input.category ?? type.classCode;
  const patient = { identifier: { system: IDPE_SYSTEM, value: input.idPe } };
  const author = {
    resourceType: 'Device',
    id: 'snr',
    identifier: [{ system: RFC3986_SYSTEM, value: `urn:oid:${input.service.oid}` }],
    deviceName: [{ name: input.service.name, type: 'user-friendly-name' }],
  };
  const patientInfo = { resourceType: 'Patient', id: 'patient', identifier: [patient.identifier] };
  const documentReference = {
    resourceType: 'DocumentReference',
    meta: { profile: [`${PDSM_PROFILE}/pdsm-comprehensive-document-reference`] },
    contained: [patientInfo, author],
    masterIdentifier: { system: RFC3986_SYSTEM, value: input.masterIdentifier },
    identifier: [{ use: 'official', system: RFC3986_SYSTEM, value: documentUrl }],
    status: 'current',
    type: { coding: [{ system: type.system, code: input.type, display: type.display }] },
    category: [{ coding: [{ system: CLASS_CODE_SYSTEM, code: classCode, display: CLASS_DISPLAYS[classCode] }] }],
    subject: patient,
    date: input.now,
    author: [{ reference: input.author === 'patient' ? '#patient' : '#snr' }],
    ...(input.description && { description: input.description }),
    securityLabel: [securityLabel(input.confidentiality)],
    content: [
      {
        attachment: {
          contentType: input.contentType,
          language: 'fr-FR',
          url: binaryUrl,
          size: input.size,
          hash: input.hash,
          title: input.title,
          creation: input.date,
        },
        format: {
          system: FORMAT_CODE_SYSTEM,
          code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient',
          display: 'mimeType Sufficient',
        },
      },
    ],
    context: {
      period: { start: input.date },
      facilityType: { coding: [SNR] },
      practiceSetting: { coding: [SNR] },
      sourcePatientInfo: { reference: '#patient' },
    },
  };
  const submissionSet = {
    resourceType: 'List',
    meta: { profile: [`${PDSM_PROFILE}/pdsm-submissionset-comprehensive`] },
    contained: [author],
    extension: [
      {
        url: 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-sourceId',
        valueIdentifier: { system: RFC3986_SYSTEM, value: `urn:oid:${input.service.oid}` },
      },
      {
        url: 'https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-designationType',
        valueCodeableConcept: { coding: [SNR] },
      },
    ],
    identifier: [
      { use: 'usual', system: RFC3986_SYSTEM, value: `urn:uuid:${crypto.randomUUID()}` },
      { use: 'official', system: RFC3986_SYSTEM, value: submissionSetUrl },
    ],
    status: 'current',
    mode: 'working',
    title: 'Envoi vers Mon espace santé',
    code: { coding: [{ system: MHD_LIST_TYPES, code: 'submissionset' }] },
    subject: patient,
    date: input.now,
    source: { reference: '#snr' },
    entry: [{ item: { reference: documentUrl } }],
  };
  return {
    resourceType: 'Bundle',
    meta: { profile: [`${PDSM_PROFILE}/pdsm-comprehensive-provide-document-bundle`] },
    type: 'transaction',
    entry: [
      { fullUrl: submissionSetUrl, resource: submissionSet, request: { method: 'POST', url: 'List' } },
      {
        fullUrl: documentUrl,
        resource: documentReference,
        request: {
          method: 'POST',
          url: 'DocumentReference',
          ifNoneExist: `identifier=${RFC3986_SYSTEM}|${input.masterIdentifier}`,
        },
      },
      {
        fullUrl: binaryUrl,
        resource: { resourceType: 'Binary', contentType: input.contentType, data: input.data },
        request: { method: 'POST', url: 'Binary' },
      },
    ],
  };
}
