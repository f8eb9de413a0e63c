/**
 * The FHIR R4 datatypes that MES exchanges, as zod/mini schemas. Objects are loose: FHIR allows
 * extensions and elements this kit does not read, and they must survive a round trip.
 */
import * as z from 'zod/mini';

const nonEmpty = () => z.string().check(z.minLength(1));

export const CodingSchema = z.looseObject({
  system: z.optional(nonEmpty()),
  code: z.optional(nonEmpty()),
  display: z.optional(z.string()),
});
export const CodeableConceptSchema = z.looseObject({
  coding: z.optional(z.array(CodingSchema)),
  text: z.optional(z.string()),
});
/** A CodeableConcept that must carry at least one coding with both system and code. */
export const CodedConceptSchema = z.looseObject({
  coding: z
    .array(z.looseObject({ system: nonEmpty(), code: nonEmpty(), display: z.optional(z.string()) }))
    .check(z.minLength(1)),
  text: z.optional(z.string()),
});
export const IdentifierSchema = z.looseObject({
  use: z.optional(z.string()),
  system: z.optional(nonEmpty()),
  value: z.optional(nonEmpty()),
});
/** An identifier usable as a business key: system and value both present. */
export const BusinessIdentifierSchema = z.looseObject({
  use: z.optional(z.string()),
  system: nonEmpty(),
  value: nonEmpty(),
});
export const ReferenceSchema = z.looseObject({
  reference: z.optional(nonEmpty()),
  identifier: z.optional(IdentifierSchema),
  display: z.optional(z.string()),
});
export const ResourceSchema = z.looseObject({
  resourceType: nonEmpty(),
  id: z.optional(z.string().check(z.regex(/^[A-Za-z0-9\-.]{1,64}$/))),
});

/** FHIR dateTime: a year, a date, or a date and time with a time zone. */
export const DateTimeSchema = z
  .string()
  .check(
    z.regex(
      /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,9})?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00)))?)?)?$/,
    ),
  );

export type Coding = z.infer<typeof CodingSchema>;
export type CodeableConcept = z.infer<typeof CodeableConceptSchema>;
export type Identifier = z.infer<typeof IdentifierSchema>;
export type Reference = z.infer<typeof ReferenceSchema>;
export type FhirResource = z.infer<typeof ResourceSchema>;

/** The shape of a FHIR OperationOutcome, as MES answers with on every refusal. */
export const OperationOutcomeSchema = z.looseObject({
  resourceType: z.literal('OperationOutcome'),
  issue: z
    .array(
      z.looseObject({
        severity: z.enum(['fatal', 'error', 'warning', 'information']),
        code: nonEmpty(),
        diagnostics: z.optional(z.string()),
        expression: z.optional(z.array(z.string())),
      }),
    )
    .check(z.minLength(1)),
});
export type OperationOutcome = z.infer<typeof OperationOutcomeSchema>;
