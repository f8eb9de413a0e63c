/**
 * Documents as MES takes them from a referenced service: IHE MHD / ANS PDSm resources
 * (comprehensive DocumentReference, SubmissionSet List, Binary) and the ITI-65 transaction Bundle.
 * @see https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition-pdsm-comprehensive-document-reference.html
 */
import * as z from 'zod/mini';
import {
  BusinessIdentifierSchema,
  CodedConceptSchema,
  CodingSchema,
  DateTimeSchema,
  IdentifierSchema,
  ReferenceSchema,
  ResourceSchema,
} from './fhir.js';

export const DOCUMENT_STATUSES = ['current', 'superseded', 'entered-in-error'] as const;

/** An attachment as PDSm requires it: language, size, SHA-1, title and creation are mandatory. */
export const AttachmentSchema = z.looseObject({
  contentType: z.string().check(z.minLength(1)),
  language: z.string().check(z.minLength(1)),
  // Checked by decoding: a regex over megabytes of base64 is slow (and zod's overflows the stack).
  data: z.optional(z.string()),
  url: z.optional(z.string().check(z.minLength(1))),
  size: z.int().check(z.nonnegative()),
  hash: z.base64(),
  title: z.string().check(z.minLength(1)),
  creation: DateTimeSchema,
});

/** The elements MES needs to file a document (PDSm comprehensive); anything else passes through untouched. */
export const DocumentReferenceSchema = z.looseObject({
  resourceType: z.literal('DocumentReference'),
  id: z.optional(z.string()),
  contained: z.optional(z.array(ResourceSchema)),
  masterIdentifier: BusinessIdentifierSchema,
  identifier: z.optional(z.array(IdentifierSchema)),
  status: z.enum(DOCUMENT_STATUSES),
  type: CodedConceptSchema,
  category: z.array(CodedConceptSchema).check(z.minLength(1)),
  subject: ReferenceSchema,
  date: DateTimeSchema,
  author: z.array(ReferenceSchema).check(z.minLength(1)),
  description: z.optional(z.string()),
  securityLabel: z.array(CodedConceptSchema).check(z.minLength(1)),
  relatesTo: z.optional(z.array(z.looseObject({ code: z.string(), target: ReferenceSchema }))),
  content: z.array(z.looseObject({ attachment: AttachmentSchema, format: CodingSchema })).check(z.length(1)),
  context: z.looseObject({
    period: z.looseObject({ start: DateTimeSchema, end: z.optional(DateTimeSchema) }),
    facilityType: CodedConceptSchema,
    practiceSetting: CodedConceptSchema,
    sourcePatientInfo: ReferenceSchema,
  }),
});
export type DocumentReference = z.infer<typeof DocumentReferenceSchema>;

export const BinarySchema = z.looseObject({
  resourceType: z.literal('Binary'),
  contentType: z.string().check(z.minLength(1)),
  data: z.string(),
});
export type Binary = z.infer<typeof BinarySchema>;

export const SubmissionSetSchema = z.looseObject({
  resourceType: z.literal('List'),
  contained: z.optional(z.array(ResourceSchema)),
  identifier: z.optional(z.array(IdentifierSchema)),
  status: z.literal('current'),
  mode: z.literal('working'),
  code: CodedConceptSchema,
  subject: z.optional(ReferenceSchema),
  date: z.optional(DateTimeSchema),
  source: z.optional(ReferenceSchema),
  entry: z.optional(z.array(z.looseObject({ item: ReferenceSchema }))),
});
export type SubmissionSet = z.infer<typeof SubmissionSetSchema>;

export const TransactionEntrySchema = z.looseObject({
  fullUrl: z.optional(z.string().check(z.minLength(1))),
  resource: ResourceSchema,
  request: z.looseObject({
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']),
    url: z.string().check(z.minLength(1)),
    ifNoneExist: z.optional(z.string()),
  }),
});
export type TransactionEntry = z.infer<typeof TransactionEntrySchema>;

export const TransactionBundleSchema = z.looseObject({
  resourceType: z.literal('Bundle'),
  type: z.literal('transaction'),
  entry: z.array(TransactionEntrySchema).check(z.minLength(1)),
});
export type TransactionBundle = z.infer<typeof TransactionBundleSchema>;
