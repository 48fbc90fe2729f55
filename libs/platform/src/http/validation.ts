import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { ProblemField } from '../errors/problems';

function flatten(errors: ValidationError[], parent = ''): ProblemField[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) =>
      message.includes('should not exist') ? { field, message: `unknown field "${field}"` } : { field, message },
    );
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/** The global pipe: only declared fields, of the declared types; answers 400 naming every field at fault. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      return new BadRequestException({ message: `Invalid input: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`, errors: fields });
    },
  });
}
