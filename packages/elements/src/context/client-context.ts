import { createContext } from '@lit/context';
import type { MesClient } from '@mes-kit/core';

/** The MesClient that `<mes-provider>` gives to every element below it. */
export const clientContext = createContext<MesClient | undefined>(Symbol('mes-client'));
