import { cityAdmin, definePolicy, type Rule } from './policy';

// Riders without a city yet are visible to either city's administrators.
const riderAdmin: Rule = (p, t) => p.role === 'city_admin' && (t.city === null || t.city === p.city);

/** Identity's rows of the policy table: invitations, staff, riders and the audit log, all city administrators'. */
export const { rules: identityRules, authorize } = definePolicy({
  'invitation.create': cityAdmin,
  'invitation.read': cityAdmin,
  'staff.read': cityAdmin,
  'staff.update': cityAdmin,
  'rider.read': riderAdmin,
  'rider.update': riderAdmin,
  'audit.read': cityAdmin,
}, ['staff.read', 'staff.update', 'rider.read', 'rider.update']);
