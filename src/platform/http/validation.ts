import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ProblemException, type FieldProblem } from './problem.js';

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((e) => {
    const param = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {}).map(([rule, message]) => ({
      param,
      code: rule === 'whitelistValidation' ? 'unknown_parameter' : `invalid_${rule.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`,
      message: rule === 'whitelistValidation' ? `'${param}' is not a known parameter` : message,
    }));
    return [...own, ...flatten(e.children ?? [], param)];
  });
}

/** Body and query validation: unknown parameters are rejected, every field problem is listed. */
export function apiValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const list = flatten(errors);
      return new ProblemException(400, 'validation_failed', list.map((p) => `${p.param}: ${p.message}`).join('; '), { errors: list });
    },
  });
}
