/*
 * The shapes of the unit registry as its endpoints answer them: units (versioned over time), categories,
 * service items, staff and assessment periods. Types and constants only, with no imports, so that the
 * console (web/) uses these very declarations instead of a copy; the rules live in model.ts, the
 * presenters in service.ts.
 */

/** What a unit is. Jurisdiction → department → section / station / window; utility companies stand beside. */
export const UNIT_KINDS = ['jurisdiction', 'department', 'section', 'station', 'window', 'company'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const SERVICE_MODES = ['online', 'offline', 'both'] as const;
export type ServiceMode = (typeof SERVICE_MODES)[number];

export const PERIOD_KINDS = ['year', 'half', 'quarter', 'month'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

// --- HTTP responses ------------------------------------------------------------------------------
/* What the registry endpoints answer (service.ts builds them, routes.ts declares their schemas). */

/** A unit as one of its versions describes it. */
export interface UnitView {
  id: string;
  code: string;
  name: string;
  shortName: string;
  kind: UnitKind;
  parentId: string | null;
  categoryId: string | null;
  tags: string[];
  sortOrder: number;
  responsibleName: string;
  responsiblePhone: string;
  validFrom: string;
  validTo: string | null;
  /** In force on the date the list was asked for. */
  active: boolean;
}

export interface UnitDetail {
  unit: UnitView;
  versions: UnitView[];
  path: { id: string; code: string; name: string }[];
  serviceItems: number;
  staff: number;
}

export interface CategoryView {
  id: string;
  code: string;
  name: string;
  nameEn: string;
  description: string;
  createdAt: string;
}

export interface ServiceItemView {
  id: string;
  code: string;
  name: string;
  unitId: string;
  mode: ServiceMode;
  active: boolean;
}

export interface StaffView {
  id: string;
  staffNo: string;
  name: string;
  unitId: string;
  position: string;
  phone: string;
  active: boolean;
}

export interface PeriodView {
  id: string;
  code: string;
  kind: PeriodKind;
  year: number;
  seq: number;
  name: string;
  startDate: string;
  endDate: string;
  createdAt: string;
}
