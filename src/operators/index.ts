/** Staff accounts, their roles and their `lk_op_` keys (/v1/admin/operators). Other modules use only what this file exports (dependency-cruiser refuses deeper imports). */
export * from './operators.module.js';
export { OperatorsService, presentOperator } from './operators.service.js';
export { Operator } from './operator.entity.js';
