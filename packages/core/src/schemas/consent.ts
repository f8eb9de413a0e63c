/**
 * A service's finalités and the patient's consent to each, in the shape of MES's own model
 * (FinalityModel: per finalité, which data it reads or writes and why). MES never sends this to a
 * service; the sandbox shows it on its consent page and a portal explains it before pairing.
 */
import * as z from 'zod/mini';

const text = () => z.string().check(z.minLength(1));

export const DataExchangeSchema = z.looseObject({
  perimetre: text(),
  action: z.enum(['Lecture', 'Ecriture']),
  categories: z.array(
    z.looseObject({
      code: text(),
      titre: text(),
      description: z.optional(z.string()),
      donnees: z.optional(z.array(z.looseObject({ description: z.string() }))),
    }),
  ),
});
export type DataExchange = z.infer<typeof DataExchangeSchema>;

export const FinalityDescriptionSchema = z.looseObject({
  codeFinalite: text(),
  libelle: text(),
  description: text(),
  echangesDeDonnees: z.array(DataExchangeSchema).check(z.minLength(1)),
});
export type FinalityDescription = z.infer<typeof FinalityDescriptionSchema>;

/** A service's catalogue entry and its finalités, with one patient's consent to each. */
export const ServiceAuthorizationsSchema = z.looseObject({
  service: z.looseObject({
    oid: text(),
    name: text(),
    editor: z.looseObject({ name: text() }),
    hasEchangeDonnees: z.boolean(),
    status: z.enum(['EN_LIGNE', 'HORS_LIGNE', 'DEREFERENCEE', 'PRESERIE', 'SUSPENDUE']),
    cguUrl: text(),
    urlSynchronisation: z.optional(z.string()),
    synchronization: z.optional(
      z.looseObject({
        isSynchronized: z.boolean(),
        oid: text(),
        isAcknowledged: z.optional(z.boolean()),
        reapprovalLimitDate: z.nullable(z.string()),
      }),
    ),
  }),
  finalities: z.array(z.extend(FinalityDescriptionSchema, { id: z.int(), consenti: z.boolean() })),
});
export type ServiceAuthorizations = z.infer<typeof ServiceAuthorizationsSchema>;
