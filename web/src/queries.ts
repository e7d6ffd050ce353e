import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { api } from './api';
import type { Category, Unit } from './types';

export const keys = {
  units: (params: { asOf?: string | undefined; includeInactive?: boolean | undefined } = {}) =>
    ['units', params] as const,
  unit: (id: string) => ['unit', id] as const,
  categories: ['categories'] as const,
  serviceItems: (unitId: string) => ['service-items', unitId] as const,
  staff: (unitId: string) => ['staff', unitId] as const,
  periods: ['periods'] as const,
  accounts: ['accounts'] as const,
  tokens: ['tokens'] as const,
  audit: ['audit'] as const,
};

/** Units in force on a date (today when absent), optionally with the ones closed by then. */
export function useUnits(params: { asOf?: string | undefined; includeInactive?: boolean | undefined } = {}) {
  return useQuery({
    queryKey: keys.units(params),
    queryFn: () =>
      api.units({
        ...(params.asOf ? { asOf: params.asOf } : {}),
        ...(params.includeInactive ? { includeInactive: true } : {}),
      }),
  });
}

/** Every unit the account may see, closed ones included, by id: for showing names of references. */
export function useUnitNames(): Map<string, Unit> {
  const { data } = useUnits({ includeInactive: true });
  return useMemo(() => new Map((data ?? []).map((u) => [u.id, u])), [data]);
}

export function useCategories() {
  return useQuery({ queryKey: keys.categories, queryFn: api.categories, staleTime: 60_000 });
}

export function useCategoryNames(): Map<string, Category> {
  const { data } = useCategories();
  return useMemo(() => new Map((data ?? []).map((c) => [c.id, c])), [data]);
}

/** After a registry write: everything that shows units may be out of date. */
export function useRegistryRefresh() {
  const client = useQueryClient();
  return async (unitId?: string) => {
    await Promise.all([
      client.invalidateQueries({ queryKey: ['units'] }),
      unitId ? client.invalidateQueries({ queryKey: keys.unit(unitId) }) : Promise.resolve(),
      client.invalidateQueries({ queryKey: keys.audit }),
    ]);
  };
}
