/** A colour per unit kind, so that the tree reads at a glance. */
export const KIND_COLORS: Record<string, string> = {
  jurisdiction: 'red',
  department: 'blue',
  section: 'cyan',
  station: 'green',
  window: 'orange',
  company: 'purple',
};

/** The kind a new sub-unit most likely has, given its parent's kind. */
export const CHILD_KIND = {
  jurisdiction: 'department',
  department: 'section',
  section: 'window',
  station: 'window',
  window: 'window',
  company: 'section',
} as const;
