import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { AppError, ProblemField } from '../errors/problems';
import { badStringOutsideClearedBody } from './input-guard';

function flatten(errors: ValidationError[], parent = ''): ProblemField[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) =>
      message.includes('should not exist')
        ? { field, message: `unknown field "${field}"` }
        : { field, message },
    );
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * Also refuses NUL and lone surrogates in what the input-guard middleware could not see (multipart fields,
 * parsed by multer inside the route): PostgreSQL stores neither.
 */
class HardenedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') {
      const bad = badStringOutsideClearedBody(value);
      if (bad) {
        const field = [metadata.data, bad.field].filter(Boolean).join('.') || metadata.type;
        const detail = `Field "${field}" contains ${bad.what}, which is not accepted.`;
        throw new AppError(400, 'invalid_characters', detail, [{ field, message: detail }]);
      }
    }
    return super.transform(value, metadata);
  }
}

/** The global pipe: only declared fields, of the declared types; answers 400 naming every field at fault. */
export function validationPipe(): ValidationPipe {
  return new HardenedValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      return new BadRequestException({
        message: `Invalid input: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`,
        errors: fields,
      });
    },
  });
}
