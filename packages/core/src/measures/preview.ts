/**
 * What « Envoyer mes mesures » shows before sending (`MesClient.measuresSummary`): summarised in the
 * page from the series it was given, or by the gateway from the host's own readings.
 */
import type { MesClient } from '../client.js';
import { MesError, normalizeError } from '../errors.js';
import type { MeasureKind } from './kinds.js';
import type { MeasureSeries } from './series.js';
import { summarizeMeasures, type MeasuresSummary } from './summary.js';

export interface MeasuresQuery {
  kinds?: MeasureKind[];
  from?: string;
  to?: string;
}

export async function measuresPreview(
  client: MesClient,
  series: MeasureSeries[] | undefined,
  query: MeasuresQuery & { signal?: AbortSignal },
): Promise<MeasuresSummary> {
  const { signal, ...filters } = query;
  try {
    const { transport } = client;
    if (!series) {
      if (transport.kind !== 'remote' || !transport.measuresSummary)
        throw new MesError('MES_INVALID_INPUT', { operation: 'send-measures', field: 'series' });
      await client.check('send-measures', filters);
      return await transport.measuresSummary(filters, signal);
    }
    const input = await client.check('send-measures', { series, ...filters });
    return summarizeMeasures(input.readings ?? []);
  } catch (error) {
    throw normalizeError(error, 'send-measures');
  }
}
