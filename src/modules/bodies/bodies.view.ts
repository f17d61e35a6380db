import type { ResponsibleBody } from './bodies.types';

/** A responsible body as its city's administrators and its own staff see it. */
export function bodyView(b: ResponsibleBody) {
  return {
    id: b.id,
    city: b.city,
    name: b.name,
    type: b.type,
    districts: b.districts,
    categories: b.categories,
    contact: b.contact,
    active: b.active,
    isDemo: b.isDemo,
    createdAt: b.createdAt.toISOString(),
    updatedAt: b.updatedAt.toISOString(),
  };
}
