/** MES's answers as the client reads them: small schemas, so that a page ships no more than it parses. */
import * as z from 'zod/mini';

/** An ITI-65 / measures transaction-response: one entry per request entry, in order. */
export const TransactionResponseSchema = z.looseObject({
  resourceType: z.literal('Bundle'),
  type: z.literal('transaction-response'),
  entry: z.array(
    z.looseObject({
      response: z.looseObject({ status: z.string(), location: z.optional(z.string()) }),
    }),
  ),
});
export type TransactionResponse = z.infer<typeof TransactionResponseSchema>;

/** An ITI-67 answer, as far as the client reads it. */
export const SearchsetSchema = z.looseObject({
  resourceType: z.literal('Bundle'),
  type: z.literal('searchset'),
  total: z.optional(z.int()),
  entry: z.optional(z.array(z.looseObject({ resource: z.looseObject({ id: z.string() }) }))),
});
export type Searchset = z.infer<typeof SearchsetSchema>;
