import { cityAdmin, definePolicy } from '../identity/policy';

/** Import's row of the policy table: a city's administrators import for their city. */
export const { rules: importRules, authorize } = definePolicy({ 'import.run': cityAdmin });
