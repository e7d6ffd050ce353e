import type { Actor, Role } from '../../src/core/auth/model.js';
import { createAccountWithPassword } from '../../src/core/auth/service.js';
import type { Deps } from '../../src/core/context.js';
import { createUnit, type UnitView } from '../../src/registry/service.js';

export const SYSTEM: Actor = { kind: 'system', label: 'test' };
export const PASSWORD = 'correct-horse-battery';

let counter = 0;
/** A code no other factory call in this process has used. */
export function uniqueCode(prefix = 'U'): string {
  counter += 1;
  return `${prefix}${String(counter).padStart(4, '0')}`;
}

export async function makeAccount(
  deps: Deps,
  role: Role,
  options: { username?: string; unitId?: string | null } = {},
): Promise<Extract<Actor, { kind: 'account' }>> {
  const username = options.username ?? uniqueCode(role.replace('_', '')).toLowerCase();
  const view = await createAccountWithPassword(deps, SYSTEM, {
    username,
    displayName: `${role} ${username}`,
    role,
    unitId: options.unitId ?? null,
    password: PASSWORD,
  });
  return {
    kind: 'account',
    id: view.id,
    username,
    displayName: view.displayName,
    role,
    unitId: view.unitId,
    mustChangePassword: false,
  };
}

export interface SmallTree {
  city: UnitView;
  deptA: UnitView;
  sectionA1: UnitView;
  windowA1: UnitView;
  deptB: UnitView;
  sectionB1: UnitView;
}

/**
 * A city with two departments, each with a section; department A's section has a window.
 * Every unit is in force from 2020-01-01.
 */
export async function makeTree(deps: Deps): Promise<SmallTree> {
  const validFrom = '2020-01-01';
  const city = await createUnit(deps, SYSTEM, {
    code: uniqueCode('CITY'),
    name: '示范市',
    kind: 'jurisdiction',
    validFrom,
  });
  const deptA = await createUnit(deps, SYSTEM, {
    code: uniqueCode('DA'),
    name: '市民政局',
    kind: 'department',
    parentId: city.id,
    validFrom,
  });
  const sectionA1 = await createUnit(deps, SYSTEM, {
    code: uniqueCode('SA'),
    name: '社会救助科',
    kind: 'section',
    parentId: deptA.id,
    validFrom,
  });
  const windowA1 = await createUnit(deps, SYSTEM, {
    code: uniqueCode('WA'),
    name: '救助窗口',
    kind: 'window',
    parentId: sectionA1.id,
    validFrom,
  });
  const deptB = await createUnit(deps, SYSTEM, {
    code: uniqueCode('DB'),
    name: '市人社局',
    kind: 'department',
    parentId: city.id,
    validFrom,
  });
  const sectionB1 = await createUnit(deps, SYSTEM, {
    code: uniqueCode('SB'),
    name: '就业服务科',
    kind: 'section',
    parentId: deptB.id,
    validFrom,
  });
  return { city, deptA, sectionA1, windowA1, deptB, sectionB1 };
}
