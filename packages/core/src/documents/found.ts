/**
 * A document as MES lists it (a DocumentReference from ITI-67), checked field by field and reduced
 * to what a patient is shown: everything here is plain text, whatever MES sent.
 */
import * as z from 'zod/mini';
import { CONFIDENTIALITIES, type Confidentiality } from './codes.js';
import { mesCategoryOf, type MesCategory } from './categories.js';

export interface DocumentAuthor {
  /** Who filed it: a service (a Device), the patient, a professional, an organisation. */
  kind: 'service' | 'patient' | 'professional' | 'organization' | 'unknown';
  name?: string;
}

export interface FoundDocument {
  /** The DocumentReference's id in MES. */
  id: string;
  title: string;
  type: { code: string; display?: string };
  /** Where MES's « Documents » tab files it. */
  category: MesCategory;
  /** When the document was written (ISO 8601), if MES says. */
  date?: string;
  author: DocumentAuthor;
  confidentiality: Confidentiality;
  contentType: string;
  /** Bytes, and base64 SHA-1: what the retrieved content must match. */
  size?: number;
  hash?: string;
}

const Text = z.string().check(z.maxLength(2000));
const Coding = z.looseObject({ system: z.optional(Text), code: z.optional(Text), display: z.optional(Text) });
const Concept = z.looseObject({ coding: z.optional(z.array(Coding)), text: z.optional(Text) });
const HumanName = z.looseObject({ text: z.optional(Text), given: z.optional(z.array(Text)), family: z.optional(Text) });
const Contained = z.looseObject({
  resourceType: Text,
  id: z.optional(Text),
  name: z.optional(z.union([Text, z.array(HumanName)])),
  deviceName: z.optional(z.array(z.looseObject({ name: Text }))),
});

/** The FHIR id rule, less `.` and `..`: what may go into a path. */
export const FHIR_ID = /^(?!\.+$)[A-Za-z0-9\-.]{1,64}$/;

export const FoundDocumentSchema = z.looseObject({
  resourceType: z.literal('DocumentReference'),
  id: z.string().check(z.regex(FHIR_ID)),
  status: z.optional(Text),
  date: z.optional(Text),
  type: z.optional(Concept),
  category: z.optional(z.array(Concept)),
  contained: z.optional(z.array(Contained)),
  author: z.optional(z.array(z.looseObject({ reference: z.optional(Text), display: z.optional(Text) }))),
  securityLabel: z.optional(z.array(Concept)),
  content: z
    .array(
      z.looseObject({
        attachment: z.looseObject({
          contentType: Text,
          title: z.optional(Text),
          size: z.optional(z.int().check(z.minimum(0))),
          hash: z.optional(Text),
          url: z.optional(Text),
          creation: z.optional(Text),
        }),
      }),
    )
    .check(z.minLength(1)),
});
type DocumentReferenceShape = z.infer<typeof FoundDocumentSchema>;

function nameOf(resource: z.infer<typeof Contained>): string | undefined {
  if (resource.deviceName?.[0]) return resource.deviceName[0].name;
  if (typeof resource.name === 'string') return resource.name;
  const name = resource.name?.[0];
  return name?.text ?? ([...(name?.given ?? []), name?.family].filter(Boolean).join(' ') || undefined);
}

const KINDS: Record<string, DocumentAuthor['kind']> = {
  Device: 'service',
  Patient: 'patient',
  Practitioner: 'professional',
  PractitionerRole: 'professional',
  Organization: 'organization',
};

function authorOf(doc: DocumentReferenceShape): DocumentAuthor {
  const author = doc.author?.[0];
  const reference = author?.reference;
  const contained = reference?.startsWith('#')
    ? doc.contained?.find((resource) => resource.id === reference.slice(1))
    : undefined;
  const kind = contained ? (KINDS[contained.resourceType] ?? 'unknown') : 'unknown';
  const name = (contained && nameOf(contained)) ?? author?.display;
  return name ? { kind, name } : { kind };
}

function confidentialityOf(doc: DocumentReferenceShape): Confidentiality {
  const codes = (doc.securityLabel ?? []).flatMap((label) => label.coding ?? []).map((coding) => coding.code);
  return CONFIDENTIALITIES.find((code) => code !== 'N' && codes.includes(code)) ?? 'N';
}

/**
 * Whether MES's DocumentReference is the patient's to see: not withdrawn (`current`), and not hidden
 * from them (INVISIBLE_PATIENT: a diagnosis not yet announced). Others are neither listed nor imported.
 */
export function shownToPatient(resource: unknown): boolean {
  const doc = resource as { status?: unknown; securityLabel?: { coding?: { code?: unknown }[] }[] } | null;
  if (doc?.status !== 'current') return false;
  const labels = Array.isArray(doc.securityLabel) ? doc.securityLabel : [];
  return !labels.some(
    (label) => Array.isArray(label?.coding) && label.coding.some((c) => c?.code === 'INVISIBLE_PATIENT'),
  );
}

/** A DocumentReference from MES as the patient is shown it, or `undefined` when it is malformed. */
export function foundDocumentOf(resource: unknown): FoundDocument | undefined {
  const parsed = FoundDocumentSchema.safeParse(resource);
  if (!parsed.success) return undefined;
  const doc = parsed.data;
  const attachment = doc.content[0].attachment;
  const type = doc.type?.coding?.[0];
  const classCode = doc.category?.[0]?.coding?.[0]?.code;
  const date = attachment.creation ?? doc.date;
  return {
    id: doc.id,
    title: attachment.title ?? type?.display ?? doc.type?.text ?? '',
    type: { code: type?.code ?? '', ...(type?.display !== undefined && { display: type.display }) },
    category: mesCategoryOf(type?.code, classCode),
    ...(date !== undefined && { date }),
    author: authorOf(doc),
    confidentiality: confidentialityOf(doc),
    contentType: attachment.contentType,
    ...(attachment.size !== undefined && { size: attachment.size }),
    ...(attachment.hash !== undefined && { hash: attachment.hash }),
  };
}

/** Where ITI-68 retrieves a listed document: `Binary/<id>`, relative to the FHIR base, or `undefined`. */
export function binaryPathOf(resource: unknown): string | undefined {
  const parsed = FoundDocumentSchema.safeParse(resource);
  const url = parsed.success ? parsed.data.content[0].attachment.url : undefined;
  const id = url && /(?:^|\/)Binary\/([^/?#]+)$/.exec(url)?.[1];
  return id && FHIR_ID.test(id) ? `Binary/${id}` : undefined;
}
