import { registerDecorator, type ValidationOptions } from 'class-validator';

/** Metadata maps as Stripe has them: at most 16 pairs, keys ≤ 40 and values ≤ 500 characters, strings only. */
export function IsStringMap(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isStringMap',
      target: object.constructor,
      propertyName,
      options: { message: 'must have at most 16 keys (≤ 40 chars) with string values (≤ 500 chars)', ...options },
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
          const entries = Object.entries(value);
          return entries.length <= 16 && entries.every(([k, v]) => k.length > 0 && k.length <= 40 && typeof v === 'string' && v.length <= 500);
        },
      },
    });
}
