/** Staff roles; the guard and the operators module share them. */
export const OPERATOR_ROLES = ['admin', 'sales', 'finance', 'support'] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];
